package jqmail.common;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * One message on its way into the queue: the message, then the envelope,
 * then the commit. Two kinds exist: the queue daemon's socket
 * ({@link InjectClient}) and the program named by {@code QMAILQUEUE}
 * ({@link QmailQueueProgram}), so that every program that queues mail
 * honours QMAILQUEUE as qmail's do. Closing without a commit queues nothing.
 */
public interface QueueSubmission extends Closeable {
    OutputStream message();

    void envelope(byte[] b) throws IOException;

    InjectResult commit() throws IOException;

    @Override
    void close();

    /**
     * Opens a submission: the QMAILQUEUE program when {@code qmailqueue} is
     * set and not empty, else the queue daemon, asked first whether it takes
     * mail now (free space, limits).
     */
    static QueueSubmission open(Home home, String qmailqueue) throws InjectException {
        if (qmailqueue != null && !qmailqueue.isEmpty()) {
            return QmailQueueProgram.start(qmailqueue, home);
        }
        InjectClient c = InjectClient.connect(home.injectSocket());
        try {
            c.probe();
            return c;
        } catch (InjectException e) {
            c.close();
            throw e;
        }
    }
}
