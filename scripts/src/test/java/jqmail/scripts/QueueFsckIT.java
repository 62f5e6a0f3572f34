package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jqmail.common.QueueId;
import jqmail.queue.Queue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jqmail queue fsck} as an administrator runs it: real messages
 * queued by the real daemons, damage planted with the daemons stopped, the
 * report, the repair, and then the daemons again, which must deliver every
 * intact message: the repair loses no good mail.
 */
class QueueFsckIT {
    static final int MESSAGES = 5;

    @TempDir
    Path dir;

    static Dist.Result fsck(Path home, String... more) throws Exception {
        List<String> a = new ArrayList<>(List.of("queue", "fsck", "--home", home.toString()));
        a.addAll(List.of(more));
        return Dist.run(null, "jqmail", a.toArray(new String[0]));
    }

    @Test
    void damageIsReportedThenRepairedAndEveryIntactMessageIsStillDelivered() throws Exception {
        Path d = dir.resolve("home");
        try (TestHome h = new TestHome(d)) {
            Dist.Result u = Dist.run(null, "jqmail", "user", "add", "--home", d.toString(), "carol");
            assertEquals(0, u.code(), u.stderr());
            h.holdDeliveries();
            h.start();
            for (int i = 0; i < MESSAGES; i++) {
                byte[] m = ("Subject: fsck " + i + "\n\nbody " + i + "\n").getBytes(StandardCharsets.US_ASCII);
                Dist.Result r = Dist.qmailQueue(h.dir, m,
                    "Falice@example.org\0Tcarol@test.example\0\0".getBytes(StandardCharsets.US_ASCII));
                assertEquals(0, r.code(), r.stderr());
            }
            List<QueueId> ids = awaitTaken(h);

            Dist.Result busy = fsck(d);
            assertEquals(111, busy.code(), "refused while the scheduler runs");
            assertEquals(1, busy.errLines().size(), busy.stderr());
            assertTrue(busy.stderr().startsWith("jqmail: queue fsck: the supervisor is running"), busy.stderr());
            h.stop();

            List<String> expected = plantDamage(h, ids);
            Dist.Result check = fsck(d);
            assertEquals(1, check.code(), check.stdout() + check.stderr());
            List<String> lines = check.stdout().lines().toList();
            for (String e : expected) {
                assertTrue(lines.stream().anyMatch(l -> l.startsWith(e)), "reported: " + e + "\n" + check.stdout());
            }
            assertEquals(expected.size(), lines.size(), check.stdout());

            Dist.Result repair = fsck(d, "--repair");
            assertEquals(0, repair.code(), repair.stdout() + repair.stderr());
            assertEquals(expected.size(), repair.stdout().lines().count(), repair.stdout());
            assertTrue(repair.stdout().lines().allMatch(l -> l.contains(": repaired (")), repair.stdout());

            Dist.Result again = fsck(d);
            assertEquals(0, again.code(), again.stdout());
            assertEquals("", again.stdout());
            Dist.Result json = fsck(d, "--json");
            assertEquals("{\"complete\":true,\"findings\":[],\"exit\":0}\n", json.stdout());

            h.control("concurrencylocal", "10");
            h.start();
            Map<String, Integer> got = awaitDelivered(h, MESSAGES);
            Map<String, Integer> want = new TreeMap<>();
            for (int i = 0; i < MESSAGES; i++) {
                want.put("fsck " + i, 1);
            }
            assertEquals(want, got, "every intact message delivered once; the damaged copy not at all");
        }
    }

    /**
     * With the daemons stopped: one kind of damage each, on messages the
     * scheduler has taken (in mess/, without state: nothing was tried).
     * Returns the start of the line the report must hold for each.
     */
    static List<String> plantDamage(TestHome h, List<QueueId> ids) throws Exception {
        Queue q = h.queue;
        Path queue = h.home.queue();
        List<String> expected = new ArrayList<>();
        long next = ids.get(ids.size() - 1).value() + 1000;

        QueueId moved = ids.get(1);
        int wrong = (moved.split() + 1) % QueueId.SPLIT;
        Files.move(q.messFile(moved), queue.resolve("mess/" + wrong + "/" + moved));
        expected.add("fsck: queue/mess/" + wrong + "/" + moved + ": in the wrong split directory");

        QueueId badState = ids.get(2);
        String s2 = Integer.toString(badState.split());
        Files.writeString(queue.resolve("info/" + s2 + "/" + badState), "u0\0Falice@exa");
        Files.writeString(queue.resolve("local/" + s2 + "/" + badState), "Dcarol@test.example\0");
        expected.add("fsck: queue/info/" + s2 + "/" + badState + ": damaged: cut off");

        QueueId modes = ids.get(3);
        Files.setPosixFilePermissions(q.messFile(modes), PosixFilePermissions.fromString("rw-------"));
        expected.add("fsck: queue/mess/" + modes.split() + "/" + modes + ": mode 0600, not 0640");
        Files.writeString(queue.resolve("info/" + modes.split() + "/" + modes + ".tmp"), "u0\0F");
        expected.add("fsck: queue/info/" + modes.split() + "/" + modes + ".tmp: unfinished");
        Files.setPosixFilePermissions(q.todo(), PosixFilePermissions.fromString("rwxrwxrwx"));
        expected.add("fsck: queue/todo: mode 0777, not 0750");

        if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0) {
            // qmail-lspawn delivers only a file owned by the queue's uid.
            QueueId owner = ids.get(4);
            Files.setAttribute(q.messFile(owner), "unix:uid", 65534);
            expected.add("fsck: queue/mess/" + owner.split() + "/" + owner + ": owner 65534:");
        }

        QueueId orphan = new QueueId(next);
        Files.writeString(queue.resolve("info/" + orphan.split() + "/" + orphan), "u0\0Fa@b\0");
        Files.writeString(queue.resolve("hold/" + orphan), "");
        expected.add("fsck: queue/info/" + orphan.split() + "/" + orphan + ": state of a message that is not in the queue");
        expected.add("fsck: queue/hold/" + orphan + ": state of a message that is not in the queue");

        QueueId damaged = new QueueId(next + 1);
        byte[] whole = Files.readAllBytes(q.messFile(ids.get(0)));
        Files.write(q.messFile(damaged), java.util.Arrays.copyOf(whole, whole.length / 2));
        expected.add("fsck: queue/mess/" + damaged.split() + "/" + damaged + ": damaged: ");

        Path stale = Files.writeString(queue.resolve("tmp/" + (next + 2)), "cut off");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        expected.add("fsck: queue/tmp/" + (next + 2) + ": left by an injection cut off 48 hours ago");

        Files.writeString(queue.resolve("todo/core"), "not a message");
        expected.add("fsck: queue/todo/core: not a queue id");
        return expected;
    }

    static List<QueueId> awaitTaken(TestHome h) throws Exception {
        for (int i = 0; i < 300; i++) {
            List<QueueId> ids = new ArrayList<>();
            for (Queue.Entry e : h.queue.walk()) {
                if (e.stage() == Queue.Stage.MESS) {
                    ids.add(e.id());
                }
            }
            if (ids.size() == MESSAGES) {
                return ids;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the scheduler did not take the messages: " + h.queue.walk());
    }

    /**
     * qmail's "retry now" (SIGALRM): after a start qmail-send may try a
     * delivery before qmail-lspawn accepts, and the deferral would otherwise
     * wait out qmail's schedule.
     */
    static void retryNow(TestHome h) throws Exception {
        var send = new PidFile(h.home, "qmail-send").live();
        if (send.isPresent()) {
            new ProcessBuilder("kill", "-ALRM", Long.toString(send.get().pid())).start().waitFor();
        }
    }

    /** The Subject of each message in carol's Maildir, counted, once {@code n} have arrived. */
    static Map<String, Integer> awaitDelivered(TestHome h, int n) throws Exception {
        Path inbox = h.home.vmail().resolve("test.example/carol/Maildir/new");
        Pattern subject = Pattern.compile("^Subject: (.*)$", Pattern.MULTILINE);
        Map<String, Integer> got = new TreeMap<>();
        for (int i = 0; i < 1200; i++) {
            got.clear();
            List<Path> files = new ArrayList<>();
            try (var s = Files.list(inbox)) {
                s.forEach(files::add);
            }
            for (Path f : files) {
                Matcher m = subject.matcher(Files.readString(f, StandardCharsets.ISO_8859_1));
                got.merge(m.find() ? m.group(1) : "?", 1, Integer::sum);
            }
            if (files.size() >= n && h.queue.walk().isEmpty()) {
                return got;
            }
            if (i % 20 == 19) {
                retryNow(h);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("delivered " + got + "; still queued: " + h.queue.walk() + "\n"
            + Files.readString(h.home.log().resolve("qmail-send/current"), StandardCharsets.UTF_8)
            + Files.readString(h.home.log().resolve("qmail-lspawn/current"), StandardCharsets.UTF_8)
            + Files.readString(h.home.log().resolve("supervise/current"), StandardCharsets.UTF_8));
    }
}
