package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authenticated submission on the real supervisor: a 587-style listener
 * (STARTTLS, then AUTH PLAIN or LOGIN, which MAIL requires) and a
 * 465-style one (TLS from the first byte), both checked by the auth
 * service against users/passwd or a checkpassword program. Python's smtplib
 * and swaks submit; an authenticated client relays; a wrong password, AUTH
 * before TLS, MAIL without AUTH and undecodable base64 are refused; repeated
 * failures from one address are refused unchecked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubmissionIT {
    static final String PASSWORD = "correct horse 42";

    @TempDir
    static Path dir;
    TestHome h;
    int submission;
    int smtps;

    @BeforeAll
    void start() throws Exception {
        h = new TestHome(dir.resolve("home"));
        h.holdDeliveries();
        h.control("queueminfree", "0");
        h.control("authfaildelay", "0");
        h.control("authfailures", "3");
        h.addUser("carol", PASSWORD);
        Path check = dir.resolve("checkpassword");
        Files.writeString(check, """
            #!/bin/bash
            IFS= read -r -d '' user <&3; IFS= read -r -d '' pass <&3
            [ "$user" = sysuser ] && [ "$pass" = syspass ] || exit 1
            exec "$@"
            """);
        Files.setPosixFilePermissions(check, PosixFilePermissions.fromString("rwxr-xr-x"));
        h.control("checkpassword", check.toString());
        submission = SmtpHome.freePort();
        smtps = SmtpHome.freePort();
        Dist.Result r = h.jqmail("start", "--smtp", "none", "--submission", "127.0.0.1:" + submission,
            "--smtps", "127.0.0.1:" + smtps);
        assertEquals(0, r.code(), r.stdout() + r.stderr() + h.log());
    }

    @AfterAll
    void stop() throws Exception {
        h.close();
    }

    private TestHome.Stored storedWith(String token) throws Exception {
        for (TestHome.Stored s : h.stored()) {
            if (s.message().contains(token)) {
                return s;
            }
        }
        throw new AssertionError("no queued message with " + token);
    }

    private int python(String name, String script) throws Exception {
        Path py = dir.resolve(name + ".py");
        Files.writeString(py, "import smtplib, ssl\nctx = ssl.create_default_context()\nctx.check_hostname = False\n"
            + "ctx.verify_mode = ssl.CERT_NONE\n" + script);
        Path out = dir.resolve(name + ".out");
        int rc = SmtpInteropIT.run(List.of("python3", py.toString()), out);
        System.out.print(Files.readString(out));
        return rc;
    }

    @Test
    void smtplibLogsInOverStarttlsAndRelays() throws Exception {
        int rc = python("587", """
            with smtplib.SMTP('127.0.0.1', %d) as s:
                s.ehlo('laptop.example')
                assert not s.has_extn('auth'), 'no AUTH before TLS'
                s.starttls(context=ctx)
                s.ehlo('laptop.example')
                assert 'PLAIN' in s.esmtp_features['auth'] and 'LOGIN' in s.esmtp_features['auth']
                s.login('carol', '%s')
                s.sendmail('carol@test.example', ['friend@elsewhere.example'],
                           'Subject: token-587\\r\\n\\r\\nrelayed\\r\\n')
            """.formatted(submission, PASSWORD));
        assertEquals(0, rc);
        TestHome.Stored m = storedWith("token-587");
        assertEquals("friend@elsewhere.example", m.envelope().recipients().get(0).value(), "relayed for an authenticated user");
        assertTrue(m.message().matches("(?s)Received: from unknown \\(HELO laptop\\.example\\) \\(127\\.0\\.0\\.1\\)\n  by test\\.example"
            + " with ESMTPSA \\(TLSv1\\.[23] TLS_\\w+\\); .*"), m.message());
    }

    @Test
    void smtplibLogsInOverImplicitTlsWithLoginAndNameAtMe() throws Exception {
        int rc = python("465", """
            with smtplib.SMTP_SSL('127.0.0.1', %d, context=ctx) as s:
                s.ehlo('laptop.example')
                s.login('carol@test.example', '%s', initial_response_ok=False)
                s.sendmail('carol@test.example', ['friend@elsewhere.example'],
                           'Subject: token-465\\r\\n\\r\\nover tls\\r\\n')
            """.formatted(smtps, PASSWORD));
        assertEquals(0, rc);
        assertTrue(storedWith("token-465").message().contains(" with ESMTPSA (TLSv1."));
    }

    @Test
    void swaksLogsInOnBothPorts() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/swaks")), "swaks is installed by scripts/deps test");
        for (List<String> how : List.of(List.of("--server", "127.0.0.1:" + submission, "--tls", "--auth", "LOGIN"),
                List.of("--server", "127.0.0.1:" + smtps, "--tlsc", "--auth", "PLAIN"))) {
            String token = "token-swaks-" + how.get(1).replaceAll(".*:", "");
            Path out = dir.resolve(token + ".out");
            List<String> cmd = new java.util.ArrayList<>(List.of("swaks"));
            cmd.addAll(how);
            cmd.addAll(List.of("--auth-user", "carol", "--auth-password", PASSWORD, "--from", "carol@test.example",
                "--to", "friend@elsewhere.example", "--header", "Subject: " + token));
            int rc = SmtpInteropIT.run(cmd, out);
            assertEquals(0, rc, Files.readString(out));
            assertTrue(Files.readString(out).contains("<~  235 2.7.0"), Files.readString(out));
            assertTrue(storedWith(token).message().contains(" with ESMTPSA (TLSv1."));
        }
    }

    @Test
    void aCheckpasswordProgramVouchesForNamesNotInThePasswordFile() throws Exception {
        int rc = python("checkpassword", """
            with smtplib.SMTP_SSL('127.0.0.1', %d, context=ctx) as s:
                s.login('sysuser', 'syspass')
                s.sendmail('sysuser@test.example', ['friend@elsewhere.example'], 'Subject: token-cp\\r\\n\\r\\nx\\r\\n')
            """.formatted(smtps));
        assertEquals(0, rc);
        storedWith("token-cp");
    }

    @Test
    void refusals() throws Exception {
        try (RawSmtp c = RawSmtp.connect(submission, InetAddress.getLoopbackAddress())) {
            assertTrue(c.reply().startsWith("220 "));
            c.line("EHLO client.example");
            assertFalse(c.reply().contains("AUTH"), "no AUTH offered in clear text");
            c.line("AUTH PLAIN " + plain("carol", PASSWORD));
            assertTrue(c.reply().startsWith("530 5.7.0"), "AUTH before TLS is refused");
            c.line("MAIL FROM:<carol@test.example>");
            assertTrue(c.reply().startsWith("530 5.7.0 authentication required"), "MAIL without AUTH");
            c.startTls();
            c.line("EHLO client.example");
            assertTrue(c.reply().contains("250-AUTH PLAIN LOGIN"));
            c.line("MAIL FROM:<carol@test.example>");
            assertTrue(c.reply().startsWith("530 5.7.0"), "an unauthenticated relay attempt is refused even over TLS");
            c.line("AUTH PLAIN not*base64!");
            assertTrue(c.reply().startsWith("501 5.5.2"), "invalid base64");
            c.line("AUTH LOGIN");
            assertTrue(c.reply().startsWith("334 VXNlcm5hbWU6"));
            c.line("*");
            assertTrue(c.reply().startsWith("501 5.0.0"), "a cancelled exchange");
            c.line("AUTH CRAM-MD5");
            assertTrue(c.reply().startsWith("504 "));
            c.line("AUTH PLAIN " + plain("carol", "wrong"));
            assertTrue(c.reply().startsWith("535 5.7.8"), "a wrong password");
            c.line("NOOP");
            assertTrue(c.reply().startsWith("250 "), "the session goes on after each refusal");
            c.line("AUTH PLAIN " + plain("carol", PASSWORD));
            assertTrue(c.reply().startsWith("235 2.7.0"));
            c.line("AUTH PLAIN " + plain("carol", PASSWORD));
            assertTrue(c.reply().startsWith("503 "), "only once");
        }
        String log = Files.readString(h.home.log().resolve("authd/current"), StandardCharsets.UTF_8);
        assertTrue(log.contains("auth: smtp failed carol from 127.0.0.1"), log);
        assertFalse(log.contains("wrong") || log.contains("horse"), "no password in the log");
    }

    @Test
    void anAddressWithTooManyFailuresIsRefusedEvenTheRightPassword() throws Exception {
        InetAddress from = InetAddress.getByName("127.0.0.3");
        try (RawSmtp c = overTls(from)) {
            for (int i = 0; i < 3; i++) {
                c.line("AUTH PLAIN " + plain("carol", "guess" + i));
                assertTrue(c.reply().startsWith("535 "));
            }
            c.line("AUTH PLAIN " + plain("carol", PASSWORD));
            assertTrue(c.reply().startsWith("454 4.7.0 too many failed"), "limited for a while");
        }
        try (RawSmtp c = overTls(InetAddress.getLoopbackAddress())) {
            c.line("AUTH PLAIN " + plain("carol", PASSWORD));
            assertTrue(c.reply().startsWith("235 "), "another address is not limited");
        }
    }

    @Test
    void garbageInsteadOfAHandshakeOn465EndsOnlyThatConnection() throws Exception {
        try (RawSmtp garbage = RawSmtp.connect(smtps)) {
            garbage.send("EHLO plain.example\r\n".repeat(50));
            assertTrue(garbage.closedByServer(), "a client speaking plain SMTP to 465 is cut off");
            int rc = python("after-garbage", """
                with smtplib.SMTP_SSL('127.0.0.1', %d, context=ctx) as s:
                    s.login('carol', '%s')
                """.formatted(smtps, PASSWORD));
            assertEquals(0, rc, "the next client is served");
        }
    }

    /** A session on the submission port from {@code from}, greeted, over TLS, after EHLO. */
    private RawSmtp overTls(InetAddress from) throws Exception {
        RawSmtp c = RawSmtp.connect(submission, from);
        assertTrue(c.reply().startsWith("220 "));
        c.line("EHLO client.example");
        c.reply();
        c.startTls();
        c.line("EHLO client.example");
        assertTrue(c.reply().contains("AUTH PLAIN LOGIN"));
        return c;
    }

    static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }
}
