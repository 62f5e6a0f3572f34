package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's three views of a home that has done some work: three
 * messages by SMTP to a virtual user, one by qmail-queue to a local address
 * nobody answers (it fails, and its bounce reaches the sender), the daemons
 * stopped; then jqmail stats, log and showctl run as a user runs them.
 */
class ShowctlLogStatsIT {
    static final String DATE = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{9}";

    @TempDir
    Path dir;

    @Test
    void statsLogAndShowctlTellWhatHappened() throws Exception {
        Path h = dir.resolve("home");
        TestHome pre = new TestHome(h);
        pre.control("concurrencylocal", "7");
        pre.control("frobnicate", "42");
        Dist.Result u = Dist.run(null, "jqmail", "user", "add", "--home", h.toString(), "carol");
        assertEquals(0, u.code(), u.stderr());
        try (SmtpHome s = new SmtpHome(h, SmtpHome.RULES)) {
            for (int i = 0; i < 3; i++) {
                try (SmtpClient c = s.connect()) {
                    c.sendMessage("client.example", "alice@example.org", List.of("carol@test.example"),
                        "Subject: " + i, "", "message " + i);
                    c.send("QUIT").expect(221);
                }
            }
            // qmail-queue checks no account: the unknown recipient fails at delivery and bounces to carol.
            Dist.Result q = Dist.qmailQueue(h, "Subject: lost\n\nnobody reads this\n".getBytes(StandardCharsets.US_ASCII),
                "Fcarol@test.example\0Tnosuchuser@test.example\0\0".getBytes(StandardCharsets.US_ASCII));
            assertEquals(0, q.code(), q.stderr());
            awaitEmptyQueue(s);
        }

        Dist.Result stats = Dist.run(null, "jqmail", "stats", "--home", h.toString(), "--json");
        assertEquals(0, stats.code(), stats.stderr());
        String j = stats.stdout();
        assertTrue(j.contains("\"junk\":0,"), "every line qmail-send wrote is understood: " + j);
        assertTrue(j.contains("\"completed\":5,"), "three, the lost one and its bounce: " + j);
        assertTrue(j.contains("\"pending\":0,"), j);
        assertTrue(j.contains("\"bounces\":1,"), j);
        assertTrue(j.contains("\"recipients\":{\"delivered\":4,\"failed\":1,"), j);
        assertTrue(j.contains("\"failures\":[{\"reason\":\"Sorry, no mailbox here by that name. (#5.1.1)\","
            + "\"count\":1,"), j);
        assertTrue(j.contains("{\"domain\":\"test.example\",\"delivered\":4,\"failed\":1,"), j);

        Dist.Result text = Dist.run(null, "jqmail", "stats", "--home", h.toString());
        assertEquals(0, text.code(), text.stderr());
        assertTrue(text.stdout().contains("\n  completed                5\n"), text.stdout());
        assertTrue(text.stdout().contains("Sorry, no mailbox here by that name."), text.stdout());

        Dist.Result send = Dist.run(null, "jqmail", "log", "--home", h.toString(), "qmail-send");
        assertEquals(0, send.code(), send.stderr());
        List<String> lines = Arrays.asList(send.stdout().split("\n"));
        assertTrue(lines.stream().allMatch(l -> l.matches(DATE + " .*")), send.stdout());
        assertEquals(4, lines.stream().filter(l -> l.matches(DATE + " delivery \\d+: success: .*")).count(),
            send.stdout());
        assertTrue(lines.stream().anyMatch(l -> l.matches(DATE + " delivery \\d+: failure: Sorry, no mailbox.*")));

        Dist.Result all = Dist.run(null, "jqmail", "log", "--home", h.toString(), "-n", "5");
        assertEquals(0, all.code(), all.stderr());
        List<String> last = Arrays.asList(all.stdout().split("\n"));
        assertEquals(5, last.size(), all.stdout());
        assertTrue(last.stream().allMatch(l -> l.matches("(supervise|qmail-queued|qmail-lspawn|qmail-send|tcpserver) +"
            + ".*")), all.stdout());
        Dist.Result merged = Dist.run(null, "jqmail", "log", "--home", h.toString());
        assertTrue(merged.stdout().contains("qmail-send ") && merged.stdout().contains("qmail-queued "), merged.stdout());

        Dist.Result none = Dist.run(null, "jqmail", "log", "--home", h.toString(), "no-such-daemon");
        assertEquals(100, none.code());
        assertTrue(none.stderr().startsWith("jqmail: no log named no-such-daemon in "), none.stderr());

        Dist.Result ctl = Dist.run(null, "jqmail", "showctl", "--home", h.toString());
        assertEquals(0, ctl.code(), ctl.stderr());
        String c = ctl.stdout();
        assertTrue(c.startsWith("jqmail home directory: " + h + ".\n"), c);
        assertTrue(c.contains("\nconcurrencylocal: 7\nLocal concurrency is 7.\n"), c);
        assertTrue(c.contains("\nme: test.example\n"), c);
        assertTrue(c.contains("\nbouncefrom: (Default.) MAILER-DAEMON\nBounces come from MAILER-DAEMON@test.example.\n"),
            c);
        assertTrue(c.contains("\nfrobnicate: unrecognized\n"), c);
        Dist.Result ctlJson = Dist.run(null, "jqmail", "showctl", "--home", h.toString(), "--json");
        assertTrue(ctlJson.stdout().contains("\"unrecognized\":[\"frobnicate\"]"), ctlJson.stdout());
    }

    static void awaitEmptyQueue(SmtpHome s) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (Dist.run(s.home.dir, "qmail-qstat").stdout().startsWith("messages in queue: 0\n")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("queue not empty: " + Dist.run(s.home.dir, "qmail-qread").stdout()
            + DeliveryIT.history(s));
    }
}
