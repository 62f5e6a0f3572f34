package jqmail.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jqmail.common.Address;
import jqmail.common.QueueId;
import org.junit.jupiter.api.Test;

/** The invariants of DESIGN §4 that the queue library itself keeps. */
class QueueTest extends QueueFixture {
    @Test
    void nothingIsVisibleBeforeCommit() throws Exception {
        Queue.Incoming in = write(7, "Subject: x\n\nbody\n", envelope("a@b", "c@d"));
        assertEquals(List.of(), q.walk(), "an uncommitted message is not in the queue");
        q.commit(in);
        List<Queue.Entry> all = q.walk();
        assertEquals(1, all.size());
        assertEquals(Queue.Stage.TODO, all.get(0).stage());
        assertFalse(Files.exists(q.tmpFile(new QueueId(7))), "scratch file is gone after commit");
    }

    @Test
    void committedFileHoldsBodyAndEnvelopeExactly() throws Exception {
        String body = "Received: x\nSubject: y\n\n" + "line\n".repeat(1000);
        q.commit(write(9, body, envelope("s@x", "r1@y", "r2@z")));
        Path f = q.todoFile(new QueueId(9));
        QueueFile.Envelope env = QueueFile.readEnvelope(f, true);
        assertEquals(body.length(), env.bodyLength());
        assertEquals(1000, env.uid());
        assertEquals(42, env.pid());
        assertEquals("s@x", env.sender().value());
        assertEquals(List.of(new Address("r1@y"), new Address("r2@z")), env.recipients());
        byte[] all = Files.readAllBytes(f);
        assertArrayEquals(body.getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(all, body.length()));
    }

    @Test
    void manyRecipientsOneStoredCopy() throws Exception {
        String[] rcpts = new String[500];
        for (int i = 0; i < rcpts.length; i++) {
            rcpts[i] = "user" + i + "@example.com";
        }
        q.commit(write(11, "body\n", envelope("s@x", rcpts)));
        try (var files = Files.walk(root)) {
            assertEquals(1, files.filter(Files::isRegularFile).count(), "one file for 500 recipients");
        }
        assertEquals(500, QueueFile.readEnvelope(q.todoFile(new QueueId(11)), true).recipients().size());
    }

    @Test
    void abortLeavesNothing() throws Exception {
        try (Queue.Incoming in = write(12, "partial", new byte[0])) {
            assertTrue(Files.exists(in.path()));
        }
        assertEquals(List.of(), q.walk());
        try (var s = Files.list(q.tmp())) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void recoverRemovesScratchOfInterruptedInjections() throws Exception {
        write(13, "cut off", new byte[0]);
        Files.writeString(q.tmp().resolve("14"), "also cut off");
        assertEquals(2, q.recover());
        assertEquals(List.of(), q.walk());
    }

    @Test
    void preprocessMovesToSplitMessDirectoryAndRemoveDeletes() throws Exception {
        q.commit(write(47, "b\n", envelope("s@x", "r@y")));
        QueueId id = new QueueId(47);
        assertTrue(q.preprocess(id));
        assertTrue(Files.exists(root.resolve("mess/1/47")), "47 % 23 = 1");
        assertTrue(q.preprocess(id), "asking twice is harmless");
        assertEquals(Queue.Stage.MESS, q.walk().get(0).stage());
        assertEquals(0, q.todoCount());
        assertTrue(q.remove(id));
        assertFalse(q.remove(id));
        assertEquals(List.of(), q.walk());
        assertFalse(q.preprocess(new QueueId(48)), "unknown ids are refused");
    }

    @Test
    void highestIdCoversEveryStage() throws Exception {
        q.commit(write(100, "b\n", envelope("s@x")));
        q.commit(write(50, "b\n", envelope("s@x")));
        q.preprocess(new QueueId(100));
        write(70, "in progress", new byte[0]);
        assertEquals(100, q.highestId());
    }

    @Test
    void walkListsTodoThenMessInIdOrder() throws Exception {
        List<Long> ids = List.of(5L, 28L, 3L, 26L);
        for (long id : ids) {
            q.commit(write(id, "b\n", envelope("s@x")));
        }
        q.preprocess(new QueueId(28));
        q.preprocess(new QueueId(26));
        List<Long> seen = new ArrayList<>();
        for (Queue.Entry e : q.walk()) {
            seen.add(e.id().value());
        }
        assertEquals(List.of(3L, 5L, 26L, 28L), seen, "todo 3, 5; then mess/3 (26), mess/5 (28) by split");
    }

    @Test
    void commitWithoutEnvelopeIsABug() throws Exception {
        Queue.Incoming in = q.create(new QueueId(99));
        in.writeBody(ByteBuffer.wrap(new byte[] {'x'}));
        assertThrows(IllegalStateException.class, () -> q.commit(in));
        in.close();
        assertEquals(List.of(), q.walk());
    }

    @Test
    void aMessageIsStillQueuedInTodoAndInMessAndNotOnceRemoved() throws Exception {
        QueueId id = new QueueId(70);
        assertFalse(q.stillQueued(id));
        q.commit(write(70, "b\n", envelope("s@x", "r@y")));
        assertTrue(q.stillQueued(id), "in todo/");
        assertTrue(q.preprocess(id));
        assertTrue(q.stillQueued(id), "in mess/");
        assertTrue(q.remove(id));
        assertFalse(q.stillQueued(id), "removed");
    }
}
