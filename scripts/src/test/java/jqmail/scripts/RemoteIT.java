package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mail for other hosts, through the real qmail-rspawn, to Postfix's
 * smtp-sink on loopback ports named in control/smtproutes.
 */
class RemoteIT {
    @TempDir
    Path dir;

    /** Postfix's smtp-sink, writing each transaction to a file of its own under {@code dump}. */
    static final class Sink implements AutoCloseable {
        final Path dump;
        final int port;
        private final Process process;

        Sink(Path dump, int port, String... options) throws IOException, InterruptedException {
            this.dump = dump;
            this.port = port;
            Files.createDirectories(dump);
            // smtp-sink writes as nobody: the way down to its directory must be open to it.
            openWayDown(dump);
            Files.setPosixFilePermissions(dump, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            List<String> cmd = new ArrayList<>(List.of("/usr/sbin/smtp-sink", "-u", "nobody", "-d", dump + "/%M."));
            cmd.addAll(List.of(options));
            cmd.addAll(List.of("127.0.0.1:" + port, "128"));
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dump.resolveSibling(dump.getFileName() + ".log").toFile())
                .start();
            for (int i = 0; i < 100; i++) {
                try (var s = new java.net.Socket("127.0.0.1", port)) {
                    return;
                } catch (IOException e) {
                    Thread.sleep(50);
                }
            }
            throw new AssertionError("smtp-sink did not start");
        }

        /** Opens the test's temporary directory above {@code p} to other users (JUnit makes it private). */
        static void openWayDown(Path p) throws IOException {
            for (Path a = p.getParent(); a != null && !a.equals(a.getRoot()); a = a.getParent()) {
                if (a.getFileName().toString().startsWith("junit")) {
                    Files.setPosixFilePermissions(a, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                    break;
                }
            }
        }

        /** Every transaction received: the RCPT TO arguments of each. */
        List<List<String>> transactions() throws IOException {
            List<List<String>> out = new ArrayList<>();
            try (Stream<Path> files = Files.walk(dump)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    List<String> rcpts = new ArrayList<>();
                    for (String l : Files.readAllLines(f, StandardCharsets.ISO_8859_1)) {
                        if (l.startsWith("X-Rcpt-Args: ")) {
                            rcpts.add(l.substring("X-Rcpt-Args: ".length()));
                        }
                    }
                    out.add(rcpts);
                }
            }
            return out;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Waits until every message sendmail left in the maildrop was picked up and has left the queue. */
    static void awaitEmptyQueue(TestHome home, int seconds) throws Exception {
        for (int i = 0; i < seconds * 10; i++) {
            boolean dropped;
            try (Stream<Path> s = Files.list(home.queue.maildrop())) {
                dropped = s.findAny().isPresent();
            }
            if (!dropped && Dist.run(home.dir, "qmail-qstat").stdout().startsWith("messages in queue: 0\n")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("queue not empty: " + Dist.run(home.dir, "qmail-qread").stdout()
            + Files.readString(home.home.log().resolve("qmail-send/current")).lines().skip(0).limit(60).toList());
    }

    @Test
    void oneMessageToAThousandRecipientsInTenDomainsGoesInTransactionsOfAtMostAHundred() throws Exception {
        int port = SmtpHome.freePort();
        try (TestHome home = new TestHome(dir.resolve("home")); Sink sink = new Sink(dir.resolve("sink"), port)) {
            StringBuilder routes = new StringBuilder();
            for (int d = 0; d < 10; d++) {
                routes.append("d").append(d).append(".example:[127.0.0.1]:").append(port).append('\n');
            }
            Files.writeString(home.home.control().resolve("smtproutes"), routes);
            home.start();
            List<String> args = new ArrayList<>(List.of("-f", "list@test.example", "-i", "--"));
            for (int i = 0; i < 1000; i++) {
                args.add("r" + i + "@d" + (i % 10) + ".example");
            }
            Dist.Result r = Dist.run(home.dir, "Subject: to a thousand\n\nhello\n".getBytes(StandardCharsets.US_ASCII),
                Map.of(), "sendmail", args.toArray(new String[0]));
            assertEquals(0, r.code(), r.stderr());
            awaitEmptyQueue(home, 120);
            Map<String, Integer> seen = new HashMap<>();
            for (List<String> t : sink.transactions()) {
                assertTrue(t.size() <= 100, "a transaction with " + t.size() + " recipients");
                String domain = t.get(0).replaceAll(".*@([^>]*)>.*", "$1");
                for (String rcpt : t) {
                    assertTrue(rcpt.contains("@" + domain + ">"), "one domain per transaction: " + t);
                    seen.merge(rcpt, 1, Integer::sum);
                }
            }
            assertEquals(1000, seen.size(), "every recipient arrived");
            assertTrue(seen.values().stream().allMatch(n -> n == 1), "none twice");
            assertTrue(sink.transactions().size() <= 30, "batched: " + sink.transactions().size() + " transactions");
        }
    }

    @Test
    void aPeerThatIsDownIsRetriedAndNothingIsSentTwice() throws Exception {
        int port = SmtpHome.freePort();
        try (TestHome home = new TestHome(dir.resolve("home"))) {
            Files.writeString(home.home.control().resolve("smtproutes"), "later.example:[127.0.0.1]:" + port + "\n");
            home.start();
            Dist.Result r = Dist.run(home.dir, "Subject: wait\n\nfor it\n".getBytes(StandardCharsets.US_ASCII),
                Map.of(), "sendmail", "-i", "--", "a@later.example", "b@later.example");
            assertEquals(0, r.code(), r.stderr());
            Path log = home.home.log().resolve("qmail-send/current");
            for (int i = 0; i < 100 && !Files.readString(log).contains("deferral"); i++) {
                Thread.sleep(100);
            }
            assertTrue(Files.readString(log).contains("deferral"), "the first attempt found nobody listening");
            try (Sink sink = new Sink(dir.resolve("sink"), port)) {
                assertEquals(0, Dist.run(home.dir, "sendmail", "-q").code());
                awaitEmptyQueue(home, 60);
                List<List<String>> t = sink.transactions();
                assertEquals(1, t.size(), "both recipients in one transaction, once: " + t);
                assertEquals(List.of("<a@later.example>", "<b@later.example>"), t.get(0));
            }
        }
    }

    @Test
    void aPeerThatRefusesTheRecipientMakesABounceWithItsWords() throws Exception {
        int port = SmtpHome.freePort();
        try (TestHome home = new TestHome(dir.resolve("home")); Sink sink = new Sink(dir.resolve("sink"), port, "-f", "RCPT")) {
            assertEquals(0, Dist.run(null, "jqmail", "user", "add", "--home", home.dir.toString(), "carol").code());
            Files.writeString(home.home.control().resolve("smtproutes"), "refuses.example:[127.0.0.1]:" + port + "\n");
            home.start();
            Dist.Result r = Dist.run(home.dir, "Subject: doomed\n\nx\n".getBytes(StandardCharsets.US_ASCII), Map.of(),
                "sendmail", "-f", "carol@test.example", "-i", "--", "nobody@refuses.example");
            assertEquals(0, r.code(), r.stderr());
            awaitEmptyQueue(home, 60);
            Path nu = home.home.vmail().resolve("test.example/carol/Maildir/new");
            List<Path> got;
            try (Stream<Path> files = Files.list(nu)) {
                got = files.toList();
            }
            assertEquals(1, got.size(), "one bounce to the sender");
            String bounce = Files.readString(got.get(0), StandardCharsets.ISO_8859_1);
            assertTrue(bounce.contains("<nobody@refuses.example>:"), bounce);
            assertTrue(bounce.contains("Remote host said: 5"), "the peer's own reply is quoted: " + bounce);
            assertTrue(bounce.contains("Content-Type: multipart/report"), bounce);
        }
    }

    @Test
    void aKeptConnectionThePeerClosedIsReplacedNotADeferral() throws Exception {
        int port = SmtpHome.freePort();
        try (TestHome home = new TestHome(dir.resolve("home"))) {
            Files.writeString(home.home.control().resolve("smtproutes"), ":[127.0.0.1]:" + port + "\n");
            home.start();
            try (Sink first = new Sink(dir.resolve("sink1"), port)) {
                assertEquals(0, Dist.run(home.dir, "Subject: one\n\n1\n".getBytes(StandardCharsets.US_ASCII), Map.of(),
                    "sendmail", "-i", "--", "a@far.example").code());
                awaitEmptyQueue(home, 30);
            }
            // The peer restarted: the connection qmail-rspawn kept is dead; the next message must not wait for it.
            try (Sink second = new Sink(dir.resolve("sink2"), port)) {
                assertEquals(0, Dist.run(home.dir, "Subject: two\n\n2\n".getBytes(StandardCharsets.US_ASCII), Map.of(),
                    "sendmail", "-i", "--", "b@far.example").code());
                awaitEmptyQueue(home, 30);
                assertEquals(List.of(List.of("<b@far.example>")), second.transactions());
            }
            String log = Files.readString(home.home.log().resolve("qmail-send/current"));
            assertTrue(!log.contains("deferral"), "no delivery was deferred:\n" + log);
        }
    }

    @Test
    void statusShowsHostsSkippedAfterTimeoutsAndTcpokForgetsThem() throws Exception {
        try (TestHome home = new TestHome(dir.resolve("home"))) {
            // 192.0.2.7 timed out twice (what qmail-tcpto calls down), as saved by an
            // earlier run of qmail-rspawn: a real connect timeout cannot be had on loopback.
            long t = System.currentTimeMillis() / 1000 - 10;
            Path tcpto = home.home.run().resolve("rspawn/tcpto");
            Files.createDirectories(tcpto.getParent());
            Files.writeString(tcpto, "jqmail-tcpto 1\n192.0.2.7 2 " + t + " " + t + "\n");
            home.start();
            String before = Dist.run(null, "jqmail", "status", "--home", home.dir.toString()).stdout();
            assertTrue(before.matches("(?s).*\ndown: 192\\.0\\.2\\.7 timed out \\d+ seconds ago; # recent timeouts: 2;"
                + " skipped for \\d+ more seconds\n.*"), before);
            Dist.Result ok = Dist.run(null, "jqmail", "tcpok", "--home", home.dir.toString());
            assertEquals(0, ok.code(), ok.stderr());
            assertEquals("every remote host may be tried again\n", ok.stdout());
            String after = before;
            for (int i = 0; i < 100 && after.contains("down: "); i++) {
                Thread.sleep(100);
                after = Dist.run(null, "jqmail", "status", "--home", home.dir.toString()).stdout();
            }
            assertTrue(!after.contains("down: "), after);
        }
    }
}
