package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jqmail.common.Address;
import jqmail.common.EnvelopeWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 2's acceptance run: 1,000 messages through bin/qmail-queue by 20 concurrent clients. */
class InjectIT {
    static final int MESSAGES = 1000;
    static final int CLIENTS = 20;
    static final Pattern TOKEN = Pattern.compile("X-Token: (\\d+)\n");

    @TempDir
    Path dir;
    TestHome home;

    @BeforeEach
    void start() throws Exception {
        home = new TestHome(dir.resolve("home"));
        home.start();
    }

    @AfterEach
    void stop() throws Exception {
        home.close();
    }

    /** A message of about 4 KiB with every byte value somewhere in it, and its envelope. */
    static byte[][] message(int n) {
        Random r = new Random(n);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("Subject: message " + n + "\nX-Token: " + n + "\n\n").getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 4096; i++) {
            b.write(i < 256 && n % 10 == 0 ? i : 32 + r.nextInt(95));
            if (i % 72 == 71) {
                b.write('\n');
            }
        }
        EnvelopeWriter w = new EnvelopeWriter().sender(new Address("sender" + n + "@example.org"));
        for (int k = 0; k <= n % 4; k++) {
            w.recipient(new Address("rcpt" + n + "-" + k + (k % 2 == 0 ? "@one.example" : "@remote.example")));
        }
        return new byte[][] {b.toByteArray(), w.end().toByteArray()};
    }

    @Test
    void thousandMessagesFromTwentyClientsAreAllQueuedByteExact() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<Dist.Result>> results = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            int n = i;
            results.add(pool.submit(() -> {
                byte[][] m = message(n);
                return Dist.qmailQueue(home.dir, m[0], m[1]);
            }));
        }
        for (int i = 0; i < MESSAGES; i++) {
            Dist.Result r = results.get(i).get();
            assertEquals(0, r.code(), "message " + i + ": " + r.stderr());
            assertEquals("", r.stderr(), "qmail-queue is silent on success");
        }
        pool.shutdown();

        Dist.Result qstat = Dist.run(home.dir, "qmail-qstat");
        // Every recipient is remote and no remote channel runs: all 1,000 wait, taken by qmail-send or not yet.
        assertTrue(qstat.stdout().startsWith("messages in queue: 1000\n"), qstat.stdout());

        Map<Integer, TestHome.Stored> byToken = new HashMap<>();
        for (TestHome.Stored s : home.stored()) {
            Matcher m = TOKEN.matcher(s.message());
            assertTrue(m.find(), "every stored message is one of ours");
            assertEquals(null, byToken.put(Integer.parseInt(m.group(1)), s), "stored once");
            assertTrue(s.receivedLine().matches("Received: \\(qmail \\d+ invoked by uid \\d+\\); .* -0000"),
                s.receivedLine());
        }
        assertEquals(MESSAGES, byToken.size());
        for (int i = 0; i < MESSAGES; i++) {
            byte[][] m = message(i);
            TestHome.Stored s = byToken.get(i);
            assertArrayEquals(m[0], s.message().getBytes(StandardCharsets.ISO_8859_1), "body of message " + i);
            EnvelopeWriter w = new EnvelopeWriter().sender(s.envelope().sender());
            s.envelope().recipients().forEach(w::recipient);
            assertArrayEquals(m[1], w.end().toByteArray(), "envelope of message " + i);
        }
        assertEquals(0, home.tmpFiles());
    }
}
