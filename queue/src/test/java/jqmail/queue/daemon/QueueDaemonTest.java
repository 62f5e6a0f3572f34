package jqmail.queue.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jqmail.common.Address;
import jqmail.common.Home;
import jqmail.common.Identities;
import jqmail.common.InjectClient;
import jqmail.common.InjectResult;
import jqmail.common.InjectWire;
import jqmail.common.QueueExit;
import jqmail.common.QueueId;
import jqmail.queue.MaildropWriter;
import jqmail.queue.Queue;
import jqmail.queue.QueueFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue daemon in this JVM, spoken to over its real sockets. */
class QueueDaemonTest {
    @TempDir
    Path dir;
    Home home;
    Queue queue;
    QueueDaemon daemon;

    @BeforeEach
    void start() throws Exception {
        home = new Home(dir);
        for (String d : new String[] {"queue/tmp", "queue/todo", "queue/maildrop", "queue/lock", "run/queue",
            "users", "control"}) {
            Files.createDirectories(dir.resolve(d));
        }
        for (int i = 0; i < QueueId.SPLIT; i++) {
            Files.createDirectories(dir.resolve("queue/mess/" + i));
        }
        Files.writeString(dir.resolve("control/queueminfree"), "0\n");
        long uid = (Integer) Files.getAttribute(dir, "unix:uid");
        Files.writeString(Identities.file(home),
            Identities.userMode(new Identities.Account("me", (int) uid, 0)).format());
        queue = new Queue(home.queue());
        daemon = QueueDaemon.start(home);
    }

    @AfterEach
    void stop() {
        daemon.shutdown();
    }

    InjectResult inject(String message, byte[] envelope) throws IOException {
        try (InjectClient c = InjectClient.connect(home.injectSocket())) {
            c.message().write(message.getBytes(StandardCharsets.ISO_8859_1));
            c.envelope(envelope);
            return c.commit();
        }
    }

    static byte[] env(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void queuesWithQmailsReceivedLineAndTheSubmittersIds() throws Exception {
        InjectResult r = inject("Subject: t\n\nhi\n", env("Fa@b\0Tc@d\0Te@f\0\0"));
        assertEquals(0, r.code(), r.text());
        assertTrue(r.text().startsWith("ok "));
        QueueId id = QueueId.parse(r.text().substring(3));
        Path f = queue.todoFile(id);
        QueueFile.Envelope e = QueueFile.readEnvelope(f, true);
        long pid = ProcessHandle.current().pid();
        assertEquals(pid, e.pid(), "pid from the socket, not from the client");
        assertEquals((int) Files.getAttribute(dir, "unix:uid"), (int) e.uid());
        assertEquals(List.of(new Address("c@d"), new Address("e@f")), e.recipients());
        String body = new String(Files.readAllBytes(f), 0, (int) e.bodyLength(), StandardCharsets.ISO_8859_1);
        assertTrue(body.matches("Received: \\(qmail " + pid + " invoked by uid \\d+\\); "
            + "\\d{1,2} [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d -0000\nSubject: t\n\nhi\n"), body);
    }

    @Test
    void largeMessagesStreamThrough() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; b.length() < 3_000_000; i++) {
            b.append("line ").append(i).append('\n');
        }
        InjectResult r = inject(b.toString(), env("F\0Tx@y\0\0"));
        assertEquals(0, r.code(), r.text());
        QueueFile.Envelope e = QueueFile.readEnvelope(queue.todoFile(QueueId.parse(r.text().substring(3))), true);
        assertTrue(e.bodyLength() > 3_000_000);
    }

    @Test
    void aClientThatLeavesBeforeTheEndQueuesNothing() throws Exception {
        try (InjectClient c = InjectClient.connect(home.injectSocket())) {
            c.message().write(new byte[100_000]);
            c.envelope(env("Fa@b\0Tc@d\0\0"));
        }
        // Let the daemon see the close, then look: nothing committed, no scratch left.
        awaitTmpEmpty();
        assertEquals(List.of(), queue.walk());
    }

    @Test
    void badEnvelopesGetQmailsCodesAndQueueNothing() throws Exception {
        assertEquals(54, inject("x\n", env("Fa@b\0Tc@d\0")).code(), "no final NUL");
        assertEquals(54, inject("x\n", env("Fa@b\0Tc@")).code(), "truncated inside a record");
        assertEquals(91, inject("x\n", env("Ta@b\0\0")).code(), "no sender record");
        assertEquals(12, inject("x\n", env("Fa@b\0Tc@d\r\n\0\0")).code(), "CR LF in an address");
        assertEquals(11, inject("x\n", env("Fa@b\0T" + "x".repeat(1003) + "\0\0")).code(), "address too long");
        assertEquals(91, inject("x\n", env("Fa@b\0Tc@d\0\0extra")).code(), "bytes after the end");
        awaitTmpEmpty();
        assertEquals(List.of(), queue.walk());
    }

    @Test
    void brokenFramingIsRefused() throws Exception {
        assertEquals(QueueExit.BUG.code(), raw(new byte[] {'M', 0, 0, 0, 1, 'x'}).code(), "no version frame");
        assertEquals(QueueExit.BUG.code(), raw(new byte[] {'V', 0, 0, 0, 1, '1', 'M', 0x7f, 0, 0, 0}).code(),
            "frame longer than the limit");
        assertEquals(QueueExit.BUG.code(), raw(new byte[] {'V', 0, 0, 0, 1, '1', 'Q', 0, 0, 0, 0}).code(),
            "unknown frame");
        assertEquals(QueueExit.READ_ERROR.code(), raw(new byte[] {'V', 0, 0, 0, 1, '1', '.', 0, 0, 0, 0}).code(),
            "no envelope");
        assertEquals(List.of(), queue.walk());
    }

    @Test
    void belowTheFreeSpaceFloorInjectionIsRefusedTemporarily() throws Exception {
        Files.writeString(dir.resolve("control/queueminfree"), Long.MAX_VALUE + "\n");
        daemon.reload();
        InjectResult r = inject("x\n", env("Fa@b\0Tc@d\0\0"));
        assertEquals(QueueExit.WRITE_ERROR.code(), r.code());
        assertFalse(r.permanent());
        assertTrue(r.text().contains("free-space floor"), r.text());
        assertEquals(List.of(), queue.walk());
        Files.writeString(dir.resolve("control/queueminfree"), "0\n");
        daemon.reload();
        assertEquals(0, inject("x\n", env("Fa@b\0Tc@d\0\0")).code());
    }

    @Test
    void anIdleClientIsDropped() throws Exception {
        Files.writeString(dir.resolve("control/timeoutqueue"), "1\n");
        daemon.reload();
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(home.injectSocket()));
            ch.write(ByteBuffer.wrap(new byte[] {'V', 0, 0, 0, 1, '1', 'M', 0, 0, 0, 1, 'x'}));
            InjectResult r = readReply(ch);
            assertEquals(QueueExit.TIMEOUT.code(), r.code(), r.text());
        }
        awaitTmpEmpty();
        assertEquals(List.of(), queue.walk());
    }

    @Test
    void triggerCarriesTheNewIdToAReader() throws Exception {
        Process mk = new ProcessBuilder("mkfifo", queue.trigger().toString()).start();
        assertEquals(0, mk.waitFor());
        try (RandomAccessFile reader = new RandomAccessFile(queue.trigger().toFile(), "rw")) {
            InjectResult r = inject("x\n", env("Fa@b\0Tc@d\0\0"));
            assertEquals("*", fifoLine(reader), "a daemon just started first asks for a scan of todo/");
            assertEquals(r.text().substring(3), fifoLine(reader));
            InjectResult r2 = inject("y\n", env("Fa@b\0Tc@d\0\0"));
            assertEquals(r2.text().substring(3), fifoLine(reader), "then only the new ids");
        }
    }

    private static String fifoLine(RandomAccessFile reader) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = reader.read()) != '\n'; ) {
            line.append((char) c);
        }
        return line.toString();
    }

    @Test
    void injectionNeverWaitsForAMissingScheduler() throws Exception {
        Process mk = new ProcessBuilder("mkfifo", queue.trigger().toString()).start();
        assertEquals(0, mk.waitFor());
        for (int i = 0; i < 3; i++) {
            assertEquals(0, inject("x\n", env("Fa@b\0Tc@d\0\0")).code(), "no reader on the FIFO");
        }
    }

    @Test
    void cleaningMovesAndRemovesOnTheSchedulersWord() throws Exception {
        InjectResult r = inject("x\n", env("Fa@b\0Tc@d\0\0"));
        QueueId id = QueueId.parse(r.text().substring(3));
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(home.cleanSocket()));
            ch.write(ByteBuffer.wrap(("todo " + id + "\n").getBytes(StandardCharsets.US_ASCII)));
            assertEquals("+", readLine(ch));
            assertTrue(Files.exists(queue.messFile(id)));
            ch.write(ByteBuffer.wrap(("done " + id + "\ntodo 12345\n").getBytes(StandardCharsets.US_ASCII)));
            assertEquals("+", readLine(ch));
            assertEquals("!", readLine(ch), "nothing to move");
            assertEquals(List.of(), queue.walk());
            ch.write(ByteBuffer.wrap("rm -rf /\n".getBytes(StandardCharsets.US_ASCII)));
            assertEquals("x", readLine(ch));
        }
    }

    @Test
    void maildropFilesAreQueuedAndRemoved() throws Exception {
        Path f = MaildropWriter.write(queue.maildrop(), new java.io.ByteArrayInputStream(
            "Subject: dropped\n\nbody\n".getBytes(StandardCharsets.US_ASCII)), new Address("u@h"),
            List.of(new Address("r@x")));
        daemon.pokeMaildrop();
        List<Queue.Entry> all = awaitQueued(1);
        for (int i = 0; i < 200 && Files.exists(f); i++) {
            Thread.sleep(10);   // committed first, unlinked after: a crash in between duplicates, never loses
        }
        assertFalse(Files.exists(f));
        QueueFile.Envelope e = QueueFile.readEnvelope(all.get(0).file(), true);
        assertEquals(new Address("u@h"), e.sender());
        assertEquals((int) Files.getAttribute(f.getParent(), "unix:uid"), (int) e.uid(), "owner of the file");
    }

    @Test
    void maildropLinksAreSetAsideNeverFollowed() throws Exception {
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "root's secret\n");
        Files.createSymbolicLink(queue.maildrop().resolve("mlink"), secret);
        Path hard = queue.maildrop().resolve("mhard");
        Files.createLink(hard, secret);
        daemon.pokeMaildrop();
        awaitFile(queue.maildrop().resolve("xmlink"));
        awaitFile(queue.maildrop().resolve("xmhard"));
        assertEquals(List.of(), queue.walk());
    }

    @Test
    void restartCleansScratchAndKeepsIdsIncreasing() throws Exception {
        InjectResult first = inject("x\n", env("Fa@b\0Tc@d\0\0"));
        daemon.shutdown();
        Files.writeString(queue.tmp().resolve("12345"), "an injection cut off by a crash");
        // A message whose id is ahead of the clock (restored from elsewhere, or a clock stepped back).
        Files.copy(queue.todoFile(QueueId.parse(first.text().substring(3))), queue.todoFile(new QueueId(99999999999999999L)));
        daemon = QueueDaemon.start(home);
        try (var s = Files.list(queue.tmp())) {
            assertEquals(0, s.count());
        }
        InjectResult second = inject("x\n", env("Fa@b\0Tc@d\0\0"));
        assertTrue(QueueId.parse(second.text().substring(3)).compareTo(new QueueId(99999999999999999L)) > 0);
        assertTrue(QueueId.parse(second.text().substring(3)).compareTo(QueueId.parse(first.text().substring(3))) > 0);
    }

    @Test
    void aSecondDaemonOnTheSameHomeRefusesToStart() {
        QueueDaemon.StartException e = org.junit.jupiter.api.Assertions.assertThrows(
            QueueDaemon.StartException.class, () -> QueueDaemon.start(home));
        assertTrue(e.getMessage().contains("another queue daemon"), e.getMessage());
    }

    private InjectResult raw(byte[] bytes) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(home.injectSocket()));
            ch.write(ByteBuffer.wrap(bytes));
            return readReply(ch);
        }
    }

    private static InjectResult readReply(SocketChannel ch) throws IOException {
        String line = readLine(ch);
        byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
        return InjectWire.parseReply(b, b.length);
    }

    private static String readLine(SocketChannel ch) throws IOException {
        StringBuilder s = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            if (ch.read(one) < 0) {
                return s.toString();
            }
            char c = (char) one.get(0);
            if (c == '\n') {
                return s.toString();
            }
            s.append(c);
        }
    }

    private void awaitTmpEmpty() throws Exception {
        for (int i = 0; i < 200; i++) {
            try (var s = Files.list(queue.tmp())) {
                if (s.count() == 0) {
                    return;
                }
            }
            Thread.sleep(25);
        }
        throw new AssertionError("scratch files left in " + queue.tmp());
    }

    private List<Queue.Entry> awaitQueued(int n) throws Exception {
        for (int i = 0; i < 400; i++) {
            List<Queue.Entry> all = queue.walk();
            if (all.size() >= n) {
                return all;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("not queued");
    }

    private static void awaitFile(Path p) throws Exception {
        for (int i = 0; i < 400 && !Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS); i++) {
            Thread.sleep(25);
        }
        assertTrue(Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS), p + " exists");
    }
}
