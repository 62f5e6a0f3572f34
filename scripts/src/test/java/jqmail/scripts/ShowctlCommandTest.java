package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import jqmail.common.Home;
import jqmail.common.Identities;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShowctlCommandTest {
    @TempDir
    Path dir;
    Home home;

    @BeforeEach
    void home() throws IOException {
        home = new Home(dir);
        Files.createDirectories(home.control());
        Files.createDirectories(home.users());
        Files.writeString(Identities.file(home), Identities.userMode(new Identities.Account("me", 1000, 1000)).format());
        control("me", "mx.example");
    }

    void control(String name, String text) throws IOException {
        Files.writeString(home.control().resolve(name), text + "\n");
    }

    /** The paragraph of one file in the text output: from "\nNAME:" to the blank line after it. */
    static String paragraph(String text, String name) {
        int at = text.indexOf("\n" + name + ":");
        assertTrue(at >= 0, name + " not shown in\n" + text);
        int end = text.indexOf("\n\n", at + 1);
        return text.substring(at + 1, end < 0 ? text.length() : end + 1);
    }

    @Test
    void aWrittenValueIsShownWithWhatItMeans() throws IOException {
        control("concurrencylocal", "7");
        String text = ShowctlCommand.report(home).text();
        assertTrue(text.startsWith("jqmail home directory: " + dir.toAbsolutePath().normalize() + ".\n"), text);
        assertEquals("concurrencylocal: 7\nLocal concurrency is 7.\n", paragraph(text, "concurrencylocal"));
        assertEquals("me: mx.example\nThis host's mail name is mx.example; most other names default to it.\n",
            paragraph(text, "me"));
    }

    @Test
    void anAbsentFileShowsItsDefault() throws IOException {
        String text = ShowctlCommand.report(home).text();
        assertEquals("concurrencyremote: (Default.) 20\nRemote concurrency is 20.\n",
            paragraph(text, "concurrencyremote"));
        assertEquals("bouncehost: (Default.) mx.example\nBounces come from MAILER-DAEMON@mx.example.\n",
            paragraph(text, "bouncehost"));
        assertEquals("badmailfrom: (Default.) none\nNo envelope sender is refused.\n", paragraph(text, "badmailfrom"));
        assertEquals("smtplisten: (Default.) 127.0.0.1:2525\n"
            + "jqmail start has the SMTP server listen on 127.0.0.1:2525 (--smtp overrides).\n",
            paragraph(text, "smtplisten"));
    }

    /** Unlike qmail, no rcpthosts is no open relay: smtpd takes the locals and the virtual domains. */
    @Test
    void withoutRcpthostsOnlyOurOwnDomainsAreAccepted() throws IOException {
        control("virtualdomains", "lists.example:lists\nexample.org:");
        String text = ShowctlCommand.report(home).text();
        assertEquals("rcpthosts: (Default.)\n  mx.example\n  lists.example\n"
            + "SMTP clients may send messages only to recipients at the local and virtual domains, mx.example, "
            + "lists.example. Clients with RELAYCLIENT (see tcp.smtp) may send to any recipient.\n",
            paragraph(text, "rcpthosts"));
        assertTrue(paragraph(text, "morercpthosts").contains("Ignored"));
    }

    @Test
    void theRcpthostsDefaultIsWhatSmtpdUses() throws IOException {
        control("locals", "mx.example\nlocalhost");
        control("virtualdomains", "lists.example:lists");
        jqmail.common.smtp.SmtpSettings smtpd = jqmail.common.smtp.SmtpSettings.read(home.controlFiles(), null);
        assertEquals(smtpd.rcpthosts(), new ControlTable.Values(home).of("rcpthosts"));
        assertEquals(java.util.List.of("mx.example", "localhost", "lists.example"), smtpd.rcpthosts());
    }

    @Test
    void listsAreShownOneEntryALine() throws IOException {
        control("rcpthosts", "# ours\nmx.example\n.lists.example");
        String text = ShowctlCommand.report(home).text();
        assertEquals("rcpthosts:\n  mx.example\n  .lists.example\n"
            + "SMTP clients may send messages only to recipients at these domains (a .suffix covers its "
            + "subdomains). Clients with RELAYCLIENT (see tcp.smtp) may send to any recipient.\n",
            paragraph(text, "rcpthosts"));
    }

    @Test
    void unknownFilesAreListedAsUnrecognized() throws IOException {
        control("frobnicate", "1");
        control("tcp.smtp", ":allow");
        ShowctlCommand.Report r = ShowctlCommand.report(home);
        assertEquals(java.util.List.of("frobnicate"), r.unrecognized());
        assertTrue(r.text().endsWith("\nfrobnicate: unrecognized\njqmail does not read this file.\n"), r.text());
        assertTrue(r.json().contains("\"unrecognized\":[\"frobnicate\"]"), r.json());
    }

    @Test
    void aMalformedNumberIsTroubleAndTheRestIsStillShown() throws IOException {
        control("databytes", "lots");
        ShowctlCommand.Report r = ShowctlCommand.report(home);
        assertTrue(r.troubled());
        assertEquals("databytes: lots\nTrouble: control/databytes: not a number: lots.\n",
            paragraph(r.text(), "databytes"));
        assertTrue(paragraph(r.text(), "concurrencylocal").contains("Local concurrency is 10."));
    }

    @Test
    void outOfRangeValuesSayWhatTheCodeUses() throws IOException {
        control("concurrencyremote", "5000");
        control("concurrencylocal", "0");
        control("maxrcpt", "0");
        String text = ShowctlCommand.report(home).text();
        assertTrue(paragraph(text, "concurrencyremote").contains("Remote concurrency is 1000 (the most jqmail runs; "
            + "the file says 5000)."), text);
        assertTrue(paragraph(text, "concurrencylocal").contains("local deliveries are held"), text);
        assertTrue(paragraph(text, "maxrcpt").contains("may have 1 (the file's 0 is out of range) recipients"), text);
    }

    @Test
    void staleCompiledRulesAreNoticed() throws IOException {
        control("tcp.smtp", "127.:allow,RELAYCLIENT=\"\"");
        Files.write(home.control().resolve("tcp.smtp.cdb"), new byte[2048]);
        Files.setLastModifiedTime(home.control().resolve("tcp.smtp.cdb"), FileTime.fromMillis(1_000_000));
        String text = ShowctlCommand.report(home).text();
        assertTrue(paragraph(text, "tcp.smtp.cdb").startsWith("tcp.smtp.cdb: 2048 bytes\n"), text);
        assertTrue(paragraph(text, "tcp.smtp.cdb").contains("the next jqmail start compiles it"), text);
    }

    @Test
    void jsonSaysTheSame() throws IOException {
        control("concurrencylocal", "7");
        control("locals", "mx.example\nlocalhost");
        String json = ShowctlCommand.report(home).json();
        assertTrue(json.contains("{\"name\":\"concurrencylocal\",\"default\":false,\"value\":\"7\","
            + "\"meaning\":\"Local concurrency is 7.\",\"trouble\":null}"), json);
        assertTrue(json.contains("{\"name\":\"locals\",\"default\":false,\"value\":[\"mx.example\",\"localhost\"],"), json);
        assertTrue(json.contains("{\"name\":\"bouncefrom\",\"default\":true,\"value\":\"MAILER-DAEMON\","), json);
        assertFalse(ShowctlCommand.report(home).troubled());
    }
}
