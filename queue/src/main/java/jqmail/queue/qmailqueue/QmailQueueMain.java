package jqmail.queue.qmailqueue;

import java.io.BufferedInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import jqmail.common.EnvelopeException;
import jqmail.common.EnvelopeReader;
import jqmail.common.EnvelopeWriter;
import jqmail.common.Home;
import jqmail.common.InjectClient;
import jqmail.common.InjectException;
import jqmail.common.InjectResult;
import jqmail.common.QueueExit;

/** {@code qmail-queue}: see this package's documentation. */
public final class QmailQueueMain {
    /** qmail-queue's DEATH: a stuck injection gives up after a day. */
    private static final long DEATH_MILLIS = 86_400_000L;

    private QmailQueueMain() {
    }

    public static void main(String[] args) {
        // fd 1 is the envelope, an input: nothing may ever be printed to it.
        System.setOut(new PrintStream(new java.io.FileOutputStream(FileDescriptor.err), true));
        Thread death = new Thread(new Death(), "death");
        death.setDaemon(true);
        death.start();
        InjectResult r = run(Home.fromEnvironment(), new FileInputStream(FileDescriptor.in),
            new FileInputStream(FileDescriptor.out));
        exit(r.code(), r.text());
    }

    /** qmail-queue's alarm; a plain class, not a lambda, which would cost milliseconds at start. */
    private static final class Death implements Runnable {
        @Override
        public void run() {
            try {
                Thread.sleep(DEATH_MILLIS);
                exit(QueueExit.TIMEOUT.code(), QueueExit.TIMEOUT.text());
            } catch (InterruptedException e) {
                // Finished in time.
            }
        }
    }

    /** Queues the message on {@code message} with the envelope on {@code envelope}. */
    static InjectResult run(Home home, InputStream message, InputStream envelope) {
        if (!Files.isDirectory(home.root())) {
            return InjectResult.of(QueueExit.HOME_ERROR, "home directory " + home.root() + " is missing (#4.3.0)");
        }
        try (InjectClient c = InjectClient.connect(home.injectSocket())) {
            OutputStream body = c.message();
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = message.read(buf)) > 0; ) {
                body.write(buf, 0, n);
            }
            copyEnvelope(new BufferedInputStream(envelope, 8192), c);
            return c.commit();
        } catch (EnvelopeException e) {
            // Not committing: the daemon discards what it received.
            return InjectResult.of(e.exit(), e.getMessage());
        } catch (InjectException e) {
            return e.result();
        } catch (IOException e) {
            return InjectResult.of(QueueExit.READ_ERROR, "unable to read the message: " + e.getMessage());
        }
    }

    /** Checks each record as it is read and passes it on; the daemon checks again. */
    private static void copyEnvelope(InputStream in, InjectClient c) throws IOException, EnvelopeException {
        EnvelopeReader r = new EnvelopeReader(in);
        EnvelopeWriter w = new EnvelopeWriter();
        for (EnvelopeReader.Entry e = r.next(); ; e = r.next()) {
            if (e.isEnd()) {
                w.end();
                break;
            }
            w.record(e.kind(), e.address().bytes());
            if (w.size() >= 32 * 1024) {
                c.envelope(w.toByteArray());
                w.reset();
            }
        }
        c.envelope(w.toByteArray());
    }

    private static void exit(int code, String text) {
        if (code != 0) {
            System.err.println("qmail-queue: " + text);
        }
        System.exit(code);
    }
}
