package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jqmail.common.Address;
import jqmail.common.EnvelopeWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL the queue daemon and its clients at random instants during
 * injection, round after round. Afterwards every message whose client saw
 * exit 0 is in the queue, complete and byte-exact; nothing incomplete is
 * visible; the scratch files of cut-off injections are gone after the next
 * start.
 */
class CrashIT {
    static final int ROUNDS = 10;
    static final int CLIENTS = 20;
    static final Pattern TOKEN = Pattern.compile("X-Token: (\\d+)\n");

    @TempDir
    Path dir;

    /** Message {@code n}: a size between 1 KiB and 2 MiB, so kills land mid-stream too. */
    static byte[][] message(int n) {
        Random r = new Random(n * 7919L);
        int size = r.nextInt(10) < 7 ? 1024 + r.nextInt(16 * 1024) : 256 * 1024 + r.nextInt(2 << 20);
        ByteArrayOutputStream b = new ByteArrayOutputStream(size + 64);
        b.writeBytes(("X-Token: " + n + "\n\n").getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < size; i++) {
            b.write(i % 80 == 79 ? '\n' : 'a' + r.nextInt(26));
        }
        byte[] env = new EnvelopeWriter().sender(new Address("s" + n + "@example.org"))
            .recipient(new Address("r" + n + "@test.example")).end().toByteArray();
        return new byte[][] {b.toByteArray(), env};
    }

    @Test
    void killedDaemonsAndClientsLoseNoAcknowledgedMessage() throws Exception {
        TestHome home = new TestHome(dir.resolve("home"));
        home.control("queueminfree", "0");
        Path work = Files.createDirectories(dir.resolve("work"));
        Map<Integer, Integer> exits = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger scratchSeen = new AtomicInteger();
        Random random = new Random(42);
        int killedClients = 0;

        for (int round = 0; round < ROUNDS; round++) {
            Process daemon = startDaemon(home);
            AtomicBoolean running = new AtomicBoolean(true);
            List<Process> live = new CopyOnWriteArrayList<>();
            List<Thread> workers = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                Thread t = new Thread(() -> {
                    while (running.get()) {
                        int n = next.getAndIncrement();
                        try {
                            byte[][] m = message(n);
                            Path mf = Files.write(work.resolve(n + ".m"), m[0]);
                            Path ef = Files.write(work.resolve(n + ".e"), m[1]);
                            Process p = Dist.startQmailQueue(home.dir, mf, ef, work.resolve(n + ".err"));
                            live.add(p);
                            p.waitFor();
                            live.remove(p);
                            exits.put(n, p.exitValue());
                        } catch (Exception e) {
                            exits.put(n, -1);
                        }
                    }
                });
                t.start();
                workers.add(t);
            }
            // Kill a few clients, then the daemon, each at a random instant.
            long roundEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500 + random.nextInt(3000));
            while (System.nanoTime() < roundEnd) {
                Thread.sleep(50 + random.nextInt(250));
                if (!live.isEmpty() && random.nextBoolean()) {
                    Process victim = live.get(random.nextInt(live.size()));
                    victim.destroyForcibly();
                    killedClients++;
                }
            }
            daemon.destroyForcibly();
            daemon.waitFor();
            running.set(false);
            for (Thread t : workers) {
                t.join(120_000);
            }
            scratchSeen.addAndGet((int) home.tmpFiles());
        }
        Process last = startDaemon(home);
        assertEquals(0, home.tmpFiles(), "scratch of cut-off injections removed at start");
        last.destroy();
        last.waitFor();

        int acked = 0;
        for (Map.Entry<Integer, Integer> e : exits.entrySet()) {
            if (e.getValue() == 0) {
                acked++;
            }
        }
        Map<Integer, TestHome.Stored> stored = new ConcurrentHashMap<>();
        for (TestHome.Stored s : home.stored()) {
            Matcher m = TOKEN.matcher(s.message());
            assertTrue(m.find(), "a stored message is one of ours");
            int n = Integer.parseInt(m.group(1));
            assertEquals(null, stored.put(n, s), "stored once");
            byte[][] orig = message(n);
            assertArrayEquals(orig[0], s.message().getBytes(StandardCharsets.ISO_8859_1),
                "message " + n + " is complete and exact, acknowledged or not");
        }
        for (Map.Entry<Integer, Integer> e : exits.entrySet()) {
            if (e.getValue() == 0) {
                TestHome.Stored s = stored.get(e.getKey());
                assertNotNull(s, "acknowledged message " + e.getKey() + " is in the queue");
                assertEquals("r" + e.getKey() + "@test.example", s.envelope().recipients().get(0).value());
            }
        }
        Map<Integer, Integer> byCode = new java.util.TreeMap<>();
        exits.values().forEach(c -> byCode.merge(c, 1, Integer::sum));
        System.out.printf("crash test: %d rounds, %d injections, %d acknowledged, %d stored, %d clients killed,"
            + " %d scratch files left by kills and removed at restart; exit codes %s%n",
            ROUNDS, exits.size(), acked, stored.size(), killedClients, scratchSeen.get(), byCode);
        assertTrue(acked > 0 && acked < exits.size(), "some injections succeeded and some were cut off");
    }

    /** The daemon without the supervisor, so the test decides when it dies and when it returns. */
    private static Process startDaemon(TestHome home) throws Exception {
        Process p = new ProcessBuilder(Dist.bin("qmail-queued").toString(), "--home", home.dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(home.dir.resolve("crash-test.log").toFile()))
            .start();
        for (int i = 0; i < 400; i++) {
            if (Daemons.accepts(home.home.injectSocket())) {
                return p;
            }
            assertTrue(p.isAlive(), "daemon died at start: " + Files.readString(home.dir.resolve("crash-test.log")));
            Thread.sleep(25);
        }
        throw new AssertionError("daemon not ready");
    }
}
