package jqmail.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jqmail.common.Address;
import jqmail.common.EnvelopeWriter;
import jqmail.common.QueueId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A queue's directories in a temporary directory, and messages written into it as the queue daemon writes them. */
public abstract class QueueFixture {
    @TempDir
    protected Path root;
    protected Queue q;

    @BeforeEach
    void layout() throws IOException {
        for (String d : new String[] {"tmp", "todo", "maildrop", "lock"}) {
            Files.createDirectories(root.resolve(d));
        }
        for (int i = 0; i < QueueId.SPLIT; i++) {
            Files.createDirectories(root.resolve("mess/" + i));
        }
        q = new Queue(root);
    }

    protected static byte[] envelope(String sender, String... rcpts) {
        EnvelopeWriter w = new EnvelopeWriter().uid(1000).pid(42).sender(new Address(sender));
        for (String r : rcpts) {
            w.recipient(new Address(r));
        }
        return w.end().toByteArray();
    }

    /** A message written, not yet committed. */
    protected Queue.Incoming write(long id, String body, byte[] env) throws IOException {
        Queue.Incoming in = q.create(new QueueId(id));
        in.writeBody(ByteBuffer.wrap(body.getBytes(StandardCharsets.US_ASCII)));
        in.writeEnvelope(ByteBuffer.wrap(env));
        return in;
    }
}
