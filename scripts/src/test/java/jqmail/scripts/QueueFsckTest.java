package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import jqmail.common.Home;
import jqmail.common.Identities;
import jqmail.common.QueueId;
import jqmail.queue.Queue;
import jqmail.queue.QueueFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fsck on a home made by the real setup code, with messages written by the
 * queue's own verbs, in one process: each kind of damage is reported, a
 * check alone changes nothing, a repair leaves a queue the next check finds
 * sound, and no intact message is lost on the way.
 */
class QueueFsckTest {
    static final String ENVELOPE = "u0\0p1\0Falice@example.org\0Tcarol@test.example\0\0";
    static final Instant NOW = Instant.now();

    @TempDir
    Path dir;
    Home home;
    Queue queue;

    @BeforeEach
    void setUp() throws Exception {
        home = new Home(dir.resolve("home"));
        new Setup(home, dir.resolve("no-dist")).run("test.example", false);
        queue = new Queue(home.queue());
    }

    /** A message as the queue daemon commits it; taken: moved to mess/ as for the scheduler. */
    QueueId message(long value, boolean taken) throws Exception {
        QueueId id = new QueueId(value);
        Queue.Incoming in = queue.create(id);
        in.writeBody(ByteBuffer.wrap(("Received: test\nSubject: " + value + "\n\nbody\n").getBytes(StandardCharsets.US_ASCII)));
        in.writeEnvelope(ByteBuffer.wrap(ENVELOPE.getBytes(StandardCharsets.US_ASCII)));
        queue.commit(in);
        if (taken) {
            assertTrue(queue.preprocess(id));
        }
        return id;
    }

    Path q(String rel) {
        return home.queue().resolve(rel);
    }

    Path write(String rel, String content) throws Exception {
        return Files.writeString(q(rel), content, StandardCharsets.ISO_8859_1);
    }

    static String split(QueueId id) {
        return Integer.toString(id.split());
    }

    QueueFsck.Report fsck(boolean repair) throws Exception {
        return new QueueFsck(home, Identities.read(home), repair, NOW).run();
    }

    /** Every entry of the queue with its kind, mode, owner and size: what a check must leave as it is. */
    Map<String, String> snapshot() throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(home.queue())) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size", LinkOption.NOFOLLOW_LINKS);
                m.put(home.queue().relativize(p).toString(), a.get("mode") + " " + a.get("uid") + ":" + a.get("gid")
                    + " " + a.get("size"));
            }
        }
        return m;
    }

    /**
     * The whole cycle: the check reports exactly {@code expected} and
     * changes nothing, the repair repairs each, and a check after it finds
     * nothing.
     */
    List<QueueFsck.Finding> checkThenRepair(String... expected) throws Exception {
        Map<String, String> before = snapshot();
        QueueFsck.Report check = fsck(false);
        assertEquals(List.of(expected), FsckCommand.text(check).lines().toList());
        assertEquals(JqmailMain.PROBLEMS, check.exitCode());
        assertEquals(before, snapshot(), "a check without --repair changes nothing");

        QueueFsck.Report repair = fsck(true);
        List<String> lines = FsckCommand.text(repair).lines().toList();
        assertEquals(expected.length, lines.size(), FsckCommand.text(repair));
        for (int i = 0; i < expected.length; i++) {
            assertTrue(lines.get(i).startsWith(expected[i] + ": repaired ("), lines.get(i));
        }
        assertEquals(JqmailMain.OK, repair.exitCode());

        QueueFsck.Report again = fsck(false);
        assertEquals("", FsckCommand.text(again), "a repaired queue is sound");
        assertEquals(JqmailMain.OK, again.exitCode());
        return repair.findings();
    }

    void assertIntact(QueueId id) throws Exception {
        Path p = queue.messFile(id);
        if (!Files.exists(p)) {
            p = queue.todoFile(id);
        }
        assertEquals(List.of("carol@test.example"), QueueFile.readEnvelope(p, true).recipients().stream()
            .map(a -> a.value()).toList(), id + " still queued and readable");
    }

    @Test
    void aSoundQueueHasNothingToReport() throws Exception {
        QueueId todo = message(1000, false);
        QueueId taken = message(1001, true);
        QueueId deferred = message(1002, true);
        write("info/" + split(deferred) + "/" + deferred, "u0\0Falice@example.org\0");
        write("local/" + split(deferred) + "/" + deferred, "Dbob@test.example\0Tcarol@test.example\0");
        write("bounce/" + deferred, "<dave@test.example>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n");
        write("hold/" + taken, "");
        write("tmp/1003", "an injection being written now");
        write("tmp/free.17", "");   // a finished message's file the daemon keeps for a new one
        Files.setLastModifiedTime(q("tmp/free.17"), FileTime.from(NOW.minus(Duration.ofHours(48))));
        write("maildrop/m0123456789abcdef", "maildrop names are the writers' and are not checked");
        QueueFsck.Report r = fsck(true);
        assertEquals(List.of(), r.findings());
        assertEquals(JqmailMain.OK, r.exitCode());
        assertIntact(todo);
        assertIntact(taken);
    }

    @Test
    void stateOfNoMessageIsRemoved() throws Exception {
        QueueId id = new QueueId(2000);
        write("info/" + split(id) + "/2000", "u0\0Fa@b\0");
        write("local/" + split(id) + "/2000", "Tc@d\0");
        write("remote/" + split(id) + "/2000", "Te@f\0");
        write("bounce/2000", "<g@h>:\nno\n\n");
        write("hold/2000", "");
        String s = split(id);
        checkThenRepair(
            "fsck: queue/info/" + s + "/2000: state of a message that is not in the queue",
            "fsck: queue/local/" + s + "/2000: state of a message that is not in the queue",
            "fsck: queue/remote/" + s + "/2000: state of a message that is not in the queue",
            "fsck: queue/bounce/2000: state of a message that is not in the queue",
            "fsck: queue/hold/2000: state of a message that is not in the queue");
        assertFalse(Files.exists(q("hold/2000")));
    }

    @Test
    void aDamagedMessageIsMovedAsideWithItsState() throws Exception {
        QueueId good = message(3000, true);
        QueueId bad = message(3001, true);
        byte[] whole = Files.readAllBytes(queue.messFile(bad));
        Files.write(queue.messFile(bad), java.util.Arrays.copyOf(whole, whole.length - 5));
        write("info/" + split(bad) + "/3001", "u0\0Falice@example.org\0");
        write("todo/3002", "");
        checkThenRepair(
            "fsck: queue/mess/" + split(bad) + "/3001: damaged: no queue file footer",
            "fsck: queue/todo/3002: damaged: too short for a queue file: 0 bytes",
            "fsck: queue/info/" + split(bad) + "/3001: state of a damaged message");
        assertIntact(good);
        assertEquals(whole.length - 5, Files.size(q("bad/mess." + split(bad) + ".3001")), "kept, not deleted");
        assertTrue(Files.exists(q("bad/info." + split(bad) + ".3001")));
        assertTrue(Files.exists(q("bad/todo.3002")));
    }

    @Test
    void aMessageInTheWrongSplitDirectoryIsMovedBackAndItsStateToo() throws Exception {
        QueueId id = message(4000, true);
        int s = id.split();
        int wrong = (s + 1) % QueueId.SPLIT;
        int wrongState = (s + 2) % QueueId.SPLIT;
        Files.move(queue.messFile(id), q("mess/" + wrong + "/4000"));
        write("info/" + s + "/4000", "u0\0Falice@example.org\0");
        write("local/" + wrongState + "/4000", "Tcarol@test.example\0");
        checkThenRepair(
            "fsck: queue/mess/" + wrong + "/4000: in the wrong split directory (4000 mod 23 is " + s + ")",
            "fsck: queue/local/" + wrongState + "/4000: in the wrong split directory (4000 mod 23 is " + s + ")");
        assertIntact(id);
        assertEquals("Tcarol@test.example\0", Files.readString(q("local/" + s + "/4000")),
            "the pending recipient is still pending");
    }

    @Test
    void damagedStateIsDiscardedWholeButAHoldStays() throws Exception {
        QueueId a = message(5000, true);
        QueueId b = message(5001, false);
        write("info/" + split(a) + "/5000", "garbage");
        write("local/" + split(a) + "/5000", "Dcarol@test.example\0");
        write("hold/5000", "");
        write("info/" + split(b) + "/5001", "u0\0Falice@example.org\0");
        write("local/" + split(b) + "/5001", "Tcarol@test.example\0Tdave@te");
        List<QueueFsck.Finding> f = checkThenRepair(
            "fsck: queue/info/" + split(a) + "/5000: damaged: cut off: its last record has no NUL",
            "fsck: queue/local/" + split(b) + "/5001: damaged: cut off: its last record has no NUL");
        assertEquals("removed queue/info/" + split(a) + "/5000, queue/local/" + split(a) + "/5000", f.get(0).done());
        assertTrue(Files.exists(q("hold/5000")), "the administrator's hold survives");
        assertFalse(Files.exists(q("info/" + split(b) + "/5001")), "no info left that says every local rcpt is done");
        assertIntact(a);
        assertIntact(b);
    }

    @Test
    void stateWithoutItsInfoFileAndUnfinishedInfoFilesAreRemoved() throws Exception {
        QueueId id = message(6000, true);
        String s = split(id);
        write("local/" + s + "/6000", "Tcarol@test.example\0");
        write("bounce/6000", "<dave@test.example>:\nno\n\n");
        write("info/" + s + "/6000.tmp", "u0\0Fali");
        checkThenRepair(
            "fsck: queue/info/" + s + "/6000.tmp: unfinished (qmail-send stopped while writing it); nothing reads it",
            "fsck: queue/local/" + s + "/6000: state without queue/info/" + s + "/6000 (a write cut off); "
                + "qmail-send would discard it",
            "fsck: queue/bounce/6000: state without queue/info/" + s + "/6000 (a write cut off); "
                + "qmail-send would discard it");
        assertIntact(id);
    }

    @Test
    void onlyOldScratchFilesAreRemoved() throws Exception {
        write("tmp/7000", "cut off two days ago");
        Files.setLastModifiedTime(q("tmp/7000"), FileTime.from(NOW.minus(Duration.ofHours(48))));
        write("tmp/7001", "being written");
        checkThenRepair("fsck: queue/tmp/7000: left by an injection cut off 48 hours ago");
        assertTrue(Files.exists(q("tmp/7001")), "a running queue daemon may be writing it");
    }

    @Test
    void whatIsNotTheQueuesIsMovedAside() throws Exception {
        QueueId id = message(8000, true);
        write("todo/notes.txt", "x");
        write("mess/" + split(id) + "/8000~", "an editor's backup");
        write("info/3/README", "x");
        Files.createDirectory(q("stray"));
        Files.createDirectory(q("mess/23"));
        Files.createSymbolicLink(q("todo/8001"), Files.writeString(dir.resolve("outside"), "not the queue's"));
        checkThenRepair(
            "fsck: queue/stray: not part of the queue",
            "fsck: queue/mess/23: not part of the queue",
            "fsck: queue/todo/8001: a symbolic link, not a regular file",
            "fsck: queue/todo/notes.txt: not a queue id",
            "fsck: queue/mess/" + split(id) + "/8000~: not a queue id",
            "fsck: queue/info/3/README: not a queue id");
        assertTrue(Files.isSymbolicLink(q("bad/todo.8001")), "the link itself moved, not what it points to");
        assertEquals("not the queue's", Files.readString(dir.resolve("outside")));
        assertTrue(Files.isDirectory(q("bad/stray")));
        assertTrue(Files.exists(q("bad/mess." + split(id) + ".8000~")));
        assertIntact(id);
    }

    @Test
    void aSecondCopyOfAMessageIsMovedAside() throws Exception {
        QueueId id = message(9000, true);
        Files.copy(queue.messFile(id), queue.todoFile(id));
        Files.setPosixFilePermissions(queue.todoFile(id), PosixFilePermissions.fromString("rw-r-----"));
        checkThenRepair("fsck: queue/todo/9000: a second copy of message 9000 (queue/mess/" + split(id)
            + "/9000 is kept)");
        assertIntact(id);
        assertTrue(Files.exists(q("bad/todo.9000")));
    }

    @Test
    void theIntactCopyIsKeptWhenTheOtherIsDamaged() throws Exception {
        QueueId id = message(9100, false);
        Files.copy(queue.todoFile(id), q("mess/" + split(id) + "/9100"));
        Files.setPosixFilePermissions(q("mess/" + split(id) + "/9100"), PosixFilePermissions.fromString("rw-r-----"));
        Files.write(q("mess/" + split(id) + "/9100"), new byte[] {'x'}, java.nio.file.StandardOpenOption.APPEND);
        checkThenRepair("fsck: queue/mess/" + split(id) + "/9100: a second copy of message 9100 (queue/todo/9100 is kept)");
        assertIntact(id);
    }

    @Test
    void directoriesAndFilesGetTheLayoutsModesBackAndMissingOnesAreMade() throws Exception {
        QueueId id = message(10000, true);
        Files.setPosixFilePermissions(q("todo"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(queue.messFile(id), PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.delete(q("hold"));
        Files.delete(q("bad"));
        Files.delete(q("lock/trigger"));
        checkThenRepair(
            "fsck: queue/todo: mode 0777, not 0750",
            "fsck: queue/hold: missing",
            "fsck: queue/bad: missing",
            "fsck: queue/lock/trigger: missing",
            "fsck: queue/mess/" + split(id) + "/10000: mode 0666, not 0640");
        assertEquals(01733, mode(q("maildrop")), "untouched: the sticky bit is the layout's");
        assertEquals(0700, mode(q("hold")));
        assertTrue((Boolean) Files.getAttribute(q("lock/trigger"), "unix:isOther", LinkOption.NOFOLLOW_LINKS),
            "the trigger is a FIFO again");
        assertEquals(0622, mode(q("lock/trigger")));
        assertIntact(id);
    }

    @Test
    void ownersAreTheHomesOwnerInAUserModeHome() throws Exception {
        assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0, "needs root to chown");
        QueueId id = message(11000, true);
        int me = Identities.read(home).uid(Identities.Role.QUEUE);
        write("info/" + split(id) + "/11000", "u0\0Falice@example.org\0");
        Files.setAttribute(q("info/" + split(id) + "/11000"), "unix:uid", 65534);
        Files.setAttribute(queue.messFile(id), "unix:uid", 65534);
        Files.setAttribute(q("remote"), "unix:uid", 65534);
        checkThenRepair(
            "fsck: queue/remote: owner 65534:0, not " + me,
            "fsck: queue/mess/" + split(id) + "/11000: owner 65534:0, not " + me,
            "fsck: queue/info/" + split(id) + "/11000: owner 65534:0, not " + me);
        assertEquals(me, Files.getAttribute(queue.messFile(id), "unix:uid"));
        assertIntact(id);
    }

    @Test
    void aDirectoryThatIsAFileNeedsAPerson() throws Exception {
        Files.delete(q("hold"));
        write("hold", "not a directory");
        QueueFsck.Report r = fsck(true);
        assertEquals("fsck: queue/hold: a regular file, not a directory\n", FsckCommand.text(r));
        assertEquals(JqmailMain.PROBLEMS, r.exitCode(), "not repaired: fsck does not guess");
        assertEquals("not a directory", Files.readString(q("hold")));
    }

    @Test
    void theJsonFormSaysTheSame() throws Exception {
        write("hold/12000", "");
        String check = FsckCommand.json(fsck(false));
        assertEquals("{\"complete\":true,\"findings\":[{\"subject\":\"queue/hold/12000\",\"problem\":"
            + "\"state of a message that is not in the queue\",\"repair\":\"remove\",\"repaired\":false,"
            + "\"done\":null,\"error\":null}],\"exit\":1}\n", check);
        String repair = FsckCommand.json(fsck(true));
        assertTrue(repair.contains("\"repaired\":true,\"done\":\"removed\",\"error\":null}],\"exit\":0}"), repair);
    }

    @Test
    void aRunningSchedulerIsNoticedByItsControlSocket() throws Exception {
        assertNull(FsckCommand.schedulerRunning(home));
        Path sock = home.run().resolve("send/control.sock");
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(sock));
            assertNotNull(FsckCommand.schedulerRunning(home));
        }
        assertTrue(Files.exists(sock));
        assertNull(FsckCommand.schedulerRunning(home), "a socket left by a dead scheduler answers nobody");
    }

    static int mode(Path p) throws Exception {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }
}
