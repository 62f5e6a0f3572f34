package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jqmail.common.Home;
import jqmail.common.QueueId;
import jqmail.queue.CorruptQueueFileException;
import jqmail.queue.Queue;
import jqmail.queue.QueueFile;

/** A home made by the real {@code jqmail setup}, with its daemons run by the real {@code jqmail start}. */
final class TestHome implements AutoCloseable {
    final Path dir;
    final Home home;
    final Queue queue;

    TestHome(Path dir) throws Exception {
        this.dir = dir;
        this.home = new Home(dir);
        this.queue = new Queue(home.queue());
        Dist.Result r = jqmail("setup", "--me", "test.example");
        assertEquals(0, r.code(), r.stderr());
        // No test reaches the world: remote mail goes to a loopback port nobody listens on (and so waits),
        // unless a test routes it to a peer of its own.
        control("smtproutes", ":[127.0.0.1]:9");
    }

    /** How many entries a directory has; 0 when it does not exist (yet). */
    static long entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var s = Files.list(dir)) {
            return s.count();
        }
    }

    /** {@code jqmail user add NAME --password-file F}: a virtual user of me; returns its Maildir. */
    Path addUser(String name, String password) throws Exception {
        Path pw = Files.createTempFile(dir.getParent(), "password", "");
        Files.writeString(pw, password + "\n");
        Dist.Result u = Dist.run(null, "jqmail", "user", "add", "--home", dir.toString(), name, "--password-file",
            pw.toString());
        Files.delete(pw);
        assertEquals(0, u.code(), u.stderr());
        return Path.of(u.stdout().strip());
    }

    Dist.Result jqmail(String... args) throws IOException, InterruptedException {
        List<String> a = new ArrayList<>(List.of(args));
        a.add(1, "--home");
        a.add(2, dir.toString());
        return Dist.run(null, "jqmail", a.toArray(new String[0]));
    }

    void control(String name, String value) throws IOException {
        Files.writeString(home.control().resolve(name), value + "\n");
    }

    /** The queue daemon only: SMTP tests choose a free port themselves (SmtpHome). */
    /** Both channels held (concurrency 0): what is queued stays queued, for tests that look at the queue. */
    void holdDeliveries() throws IOException {
        control("concurrencylocal", "0");
        control("concurrencyremote", "0");
    }

    void start() throws Exception {
        Dist.Result r = jqmail("start", "--smtp", "none");
        assertEquals(0, r.code(), "jqmail start: " + r.stdout() + r.stderr() + log());
    }

    void stop() throws Exception {
        Dist.Result r = jqmail("stop");
        assertEquals(0, r.code(), "jqmail stop: " + r.stderr());
    }

    /** The pid of a running daemon, waiting up to 10 s for it to be up. */
    long pid(String name) throws Exception {
        return pid(home, name);
    }

    static long pid(Home home, String name) throws Exception {
        for (int i = 0; i < 100; i++) {
            var p = new PidFile(home, name).live();
            if (p.isPresent()) {
                return p.get().pid();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " is not running");
    }

    /**
     * Sends SIGHUP to a daemon until its log says it reread its control files. A daemon that has just started
     * may not have its handler yet, and ignores a HUP until then; so the signal is sent again every second.
     */
    void reread(String daemon) throws Exception {
        reread(home, daemon);
    }

    /** {@link #reread(String)} for any home, a system home too. */
    static void reread(Home home, String daemon) throws Exception {
        Path log = home.log().resolve(daemon).resolve("current");
        int before = text(log).length();
        for (int i = 0; i < 800; i++) {
            if (i % 40 == 0) {
                assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(pid(home, daemon))).start().waitFor());
            }
            String now = text(log);
            if (now.length() > before && now.substring(before).contains("reread")) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError(daemon + " did not reread its control files in 20 s:\n" + text(log));
    }

    private static String text(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
    }

    long daemonPid() throws IOException {
        return Long.parseLong(Files.readString(home.pidDir().resolve("qmail-queued.pid")).strip());
    }

    String log() {
        try {
            return "\n--- log ---\n" + Files.readString(home.log().resolve("qmail-queued/current"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Every committed message with its parsed envelope. qmail-send may move a
     * message from todo/ to mess/ during the walk; then the walk starts again.
     */
    List<Stored> stored() throws IOException {
        for (int pass = 0; ; pass++) {
            try {
                return storedOnce();
            } catch (java.nio.file.NoSuchFileException e) {
                if (pass == 100) {
                    throw e;
                }
            }
        }
    }

    private List<Stored> storedOnce() throws IOException {
        List<Stored> out = new ArrayList<>();
        for (Queue.Entry e : queue.walk()) {
            try {
                QueueFile.Envelope env = QueueFile.readEnvelope(e.file(), true);
                byte[] all = Files.readAllBytes(e.file());
                out.add(new Stored(e.id(), env, java.util.Arrays.copyOf(all, (int) env.bodyLength())));
            } catch (CorruptQueueFileException x) {
                throw new AssertionError("incomplete or damaged message visible in the queue: " + e.file() + ": "
                    + x.getMessage());
            }
        }
        return out;
    }

    /** A message as the queue holds it. */
    record Stored(QueueId id, QueueFile.Envelope envelope, byte[] body) {
        /** The body without the queue daemon's Received line. */
        String message() {
            String s = new String(body, StandardCharsets.ISO_8859_1);
            return s.substring(s.indexOf('\n') + 1);
        }

        String receivedLine() {
            String s = new String(body, StandardCharsets.ISO_8859_1);
            return s.substring(0, s.indexOf('\n'));
        }
    }

    /** Scratch files in queue/tmp, not counting the emptied files the daemon keeps for new messages. */
    long tmpFiles() throws IOException {
        try (var s = Files.list(queue.tmp())) {
            return s.filter(p -> !p.getFileName().toString().startsWith(Queue.KEPT_PREFIX)).count();
        }
    }

    @Override
    public void close() throws Exception {
        jqmail("stop");
    }
}
