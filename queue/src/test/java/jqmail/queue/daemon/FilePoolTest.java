package jqmail.queue.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jnr.posix.POSIXFactory;
import jqmail.common.Address;
import jqmail.common.QueueId;
import jqmail.queue.Queue;
import jqmail.queue.QueueFixture;
import jqmail.queue.QueueFile;
import org.junit.jupiter.api.Test;

/** The queue daemon writes finished messages' files again, only when no one can meet the old or the new bytes. */
class FilePoolTest extends QueueFixture {
    FilePool pool;

    private static long inode(Path p) throws IOException {
        return (Long) Files.getAttribute(p, "unix:ino");
    }

    private List<String> tmpNames() throws IOException {
        try (var s = Files.list(q.tmp())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void pooled() {
        pool = new FilePool(POSIXFactory.getNativePOSIX(), q.tmp());
        q.reuseFiles(pool);
    }

    /** What the daemon's file-pool thread does once a second, done now. */
    private void syncPool() {
        pool.sync();
    }

    @Test
    void aRemovedMessagesFileIsWrittenAgainForALaterMessageOnceItsDirectoryIsSynced() throws Exception {
        pooled();
        q.commit(write(47, "Subject: first\n\n" + "secret\n".repeat(2000), envelope("s@x", "r@y")));
        assertTrue(q.preprocess(new QueueId(47)));
        long ino = inode(q.messFile(new QueueId(47)));
        assertTrue(q.remove(new QueueId(47)));
        assertEquals(List.of(), q.walk(), "removed from the queue");
        assertFalse(q.stillQueued(new QueueId(47)));
        assertEquals(1, tmpNames().size());
        assertTrue(tmpNames().get(0).startsWith(Queue.KEPT_PREFIX), tmpNames().toString());
        assertFalse(q.remove(new QueueId(47)), "nothing left to remove");

        q.commit(write(48, "Subject: meanwhile\n\nx\n", envelope("t@x", "u@y")));
        assertTrue(inode(q.todoFile(new QueueId(48))) != ino, "not before mess/1 is synced: a new file");

        syncPool();
        assertEquals(0, Files.size(q.tmp().resolve(tmpNames().get(0))), "emptied once ready");
        String body = "Subject: second\n\nshort\n";
        q.commit(write(49, body, envelope("t@x", "u@y")));
        Path f = q.todoFile(new QueueId(49));
        assertEquals(ino, inode(f), "the same file, so no inode was freed or taken");
        assertEquals(List.of(), tmpNames());
        QueueFile.Envelope env = QueueFile.readEnvelope(f, true);
        assertEquals(List.of(new Address("u@y")), env.recipients());
        byte[] all = Files.readAllBytes(f);
        assertEquals(body, new String(all, 0, (int) env.bodyLength(), StandardCharsets.US_ASCII));
        assertFalse(new String(all, StandardCharsets.US_ASCII).contains("secret"), "nothing of the old message");
    }

    @Test
    void aFileSomeoneStillReadsIsUnlinkedNotWrittenAgain() throws Exception {
        pooled();
        String body = "Subject: late reader\n\nold bytes\n";
        q.commit(write(50, body, envelope("s@x", "r@y")));
        try (var reader = java.nio.channels.FileChannel.open(q.todoFile(new QueueId(50)))) {
            assertTrue(q.remove(new QueueId(50)));
            assertEquals(List.of(), tmpNames(), "unlinked: it was open elsewhere");
            assertEquals(0, q.keptFiles());
            syncPool();
            q.commit(write(51, "Subject: next\n\nnew bytes\n", envelope("t@x", "u@y")));
            ByteBuffer b = ByteBuffer.allocate(body.length());
            reader.read(b, 0);
            assertEquals(body, new String(b.array(), StandardCharsets.US_ASCII), "the reader still has its message");
        }
    }

    @Test
    void aFileWithASecondLinkIsNotWrittenAgain() throws Exception {
        pooled();
        q.commit(write(52, "Subject: linked\n\nx\n", envelope("s@x", "r@y")));
        Path backup = root.resolve("backup-52");
        Files.createLink(backup, q.todoFile(new QueueId(52)));
        assertTrue(q.remove(new QueueId(52)));
        assertEquals(List.of(), tmpNames());
        assertEquals(0, q.keptFiles());
        assertTrue(Files.readString(backup).contains("Subject: linked"), "the other name keeps its message");
    }

    @Test
    void recoverKeepsFilesLeftInTmpAndNamesLaterOnesAboveThem() throws Exception {
        pooled();
        Files.writeString(q.tmp().resolve("free.7"), "a kept file cut off while written again");
        Files.setPosixFilePermissions(q.tmp().resolve("free.7"),
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        Files.writeString(q.tmp().resolve("14"), "an injection cut off");
        assertEquals(1, q.recover(), "one scratch file removed");
        assertEquals(List.of("free.7"), tmpNames());
        assertEquals(0, Files.size(q.tmp().resolve("free.7")), "emptied");
        assertEquals(1, q.keptFiles());
        q.commit(write(60, "Subject: x\n\nx\n", envelope("s@x", "r@y")));
        assertEquals(List.of(), tmpNames(), "written again at once: recover synced the queue's directories");
        q.commit(write(61, "Subject: y\n\ny\n", envelope("s@x", "r@y")));
        assertTrue(q.remove(new QueueId(61)));
        assertEquals(List.of("free.8"), tmpNames(), "a name never used before");
    }
}
