package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jqmail.common.Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With the queue daemon stopped, qmail-inject's mail waits in the maildrop and is queued when it starts. */
class MaildropIT {
    @TempDir
    Path dir;

    @Test
    void mailSubmittedWhileTheDaemonIsDownIsQueuedWhenItStarts() throws Exception {
        try (TestHome home = new TestHome(dir.resolve("home"))) {
            byte[] msg = "Subject: cron output\nBcc: hidden@example.org\n\nall is well\n"
                .getBytes(StandardCharsets.US_ASCII);
            Dist.Result r = Dist.run(home.dir, msg, Map.of("USER", "cron"), "qmail-inject", "-f", "cron@test.example",
                "admin@test.example");
            assertEquals(0, r.code(), r.stderr());
            List<Path> dropped;
            try (var s = Files.list(home.queue.maildrop())) {
                dropped = s.toList();
            }
            assertEquals(1, dropped.size(), "one file in the maildrop");
            assertTrue(dropped.get(0).getFileName().toString().startsWith("m"));
            assertEquals(List.of(), home.queue.walk(), "not queued while the daemon is down");

            home.holdDeliveries();   // admin@test.example is local: the test looks at it in the queue
            home.start();
            List<TestHome.Stored> stored = awaitQueued(home);
            assertEquals(0, awaitMaildropEmptied(home), "maildrop emptied");
            TestHome.Stored m = stored.get(0);
            assertEquals(new Address("cron@test.example"), m.envelope().sender());
            assertEquals(List.of(new Address("admin@test.example")), m.envelope().recipients());
            String text = m.message();
            assertTrue(text.startsWith("Subject: cron output\n"), text);
            assertFalse(text.contains("Bcc:"), "Bcc removed from the stored message");
            assertTrue(text.contains("\nDate: "), text);
            assertTrue(text.contains("\nMessage-ID: <"), text);
            assertTrue(text.contains("\nFrom: cron@test.example\n"), text);
            assertTrue(text.endsWith("\n\nall is well\n"), text);
        }
    }

    @Test
    void withTheDaemonUpWhatQmailInjectDropsIsQueuedAtOnce() throws Exception {
        try (TestHome home = new TestHome(dir.resolve("home2"))) {
            home.holdDeliveries();
            home.start();
            Dist.Result r = Dist.run(home.dir, "Subject: x\n\nbody\n".getBytes(StandardCharsets.US_ASCII), Map.of(),
                "qmail-inject", "someone@test.example");
            assertEquals(0, r.code(), r.stderr());
            List<TestHome.Stored> stored = awaitQueued(home);
            assertEquals(1, stored.size());
            assertTrue(stored.get(0).message().contains("Subject: x\n"), stored.get(0).message());
            assertEquals(0, awaitMaildropEmptied(home), "the maildrop is emptied without a SIGALRM or a restart");
        }
    }

    @Test
    void qmailInjectRefusesBadAddressesBeforeQueueing() throws Exception {
        try (TestHome home = new TestHome(dir.resolve("home3"))) {
            Dist.Result r = Dist.run(home.dir, "x\n".getBytes(StandardCharsets.US_ASCII), Map.of(), "qmail-inject",
                "a".repeat(1003) + "@x");
            assertEquals(100, r.code());
            assertEquals(1, r.errLines().size(), r.stderr());
            Dist.Result usage = Dist.run(home.dir, "qmail-inject");
            assertEquals(100, usage.code());
            try (var s = Files.list(home.queue.maildrop())) {
                assertEquals(0, s.count());
            }
        }
    }

    /**
     * The number of files left in the maildrop once it is empty or ten seconds have passed. The daemon removes a
     * maildrop file just after committing its message, so the message can be seen in the queue a moment before
     * the file goes.
     */
    private static long awaitMaildropEmptied(TestHome home) throws Exception {
        long left = -1;
        for (int i = 0; i < 400 && left != 0; i++) {
            if (i > 0) {
                Thread.sleep(25);
            }
            try (var s = Files.list(home.queue.maildrop())) {
                left = s.count();
            }
        }
        return left;
    }

    private static List<TestHome.Stored> awaitQueued(TestHome home) throws Exception {
        for (int i = 0; i < 400; i++) {
            List<TestHome.Stored> s = home.stored();
            if (!s.isEmpty()) {
                return s;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("the maildrop file was not queued" + home.log());
    }
}
