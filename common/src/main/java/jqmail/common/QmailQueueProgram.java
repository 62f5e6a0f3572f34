package jqmail.common;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * A message handed to the program named by {@code QMAILQUEUE} with
 * qmail-queue's interface: the message on its descriptor 0, the envelope on
 * its descriptor 1, qmail's exit codes. The JDK cannot give a child a
 * readable descriptor 1, so the envelope goes through a FIFO in a private
 * directory that a shell opens as descriptor 1 before it execs the program.
 * This side opens the FIFO read-write, which never blocks on Linux, so the
 * child can start and read its message while the envelope is still to come.
 */
public final class QmailQueueProgram implements QueueSubmission {
    private final Process process;
    private final RandomAccessFile envelope;
    private final Path dir;
    private final OutputStream message;
    private boolean committed;

    private QmailQueueProgram(Process process, RandomAccessFile envelope, Path dir) {
        this.process = process;
        this.envelope = envelope;
        this.dir = dir;
        this.message = process.getOutputStream();
    }

    static QmailQueueProgram start(String program, Home home) throws InjectException {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("jqmail-qq", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
            Path fifo = dir.resolve("envelope");
            Process mk = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString())
                .redirectErrorStream(true).start();
            if (mk.waitFor() != 0) {
                throw new IOException("mkfifo failed");
            }
            RandomAccessFile env = new RandomAccessFile(fifo.toFile(), "rw");
            ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", "exec \"$0\" 1<\"$1\"", program, fifo.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put(Home.ENV, home.root().toString());
            return new QmailQueueProgram(pb.start(), env, dir);
        } catch (IOException | InterruptedException e) {
            deleteQuietly(dir);
            throw new InjectException(QueueExit.BUG, "unable to run " + program + ": " + e.getMessage());
        }
    }

    @Override
    public OutputStream message() {
        return message;
    }

    @Override
    public void envelope(byte[] b) throws IOException {
        envelope.write(b);
    }

    /** Closes the message and the envelope and waits for the program's exit code. */
    @Override
    public InjectResult commit() throws IOException {
        committed = true;
        try {
            message.close();
        } catch (IOException e) {
            // The program stopped reading; its exit code says why.
        }
        envelope.close();
        try {
            if (!process.waitFor(1, TimeUnit.DAYS)) {
                process.destroyForcibly();
                return InjectResult.of(QueueExit.TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return InjectResult.of(QueueExit.TIMEOUT);
        } finally {
            deleteQuietly(dir);
        }
        int code = process.exitValue();
        return code == 0 ? new InjectResult(0, "ok") : InjectResult.of(QueueExit.of(code),
            QueueExit.of(code).text());
    }

    /** Without a commit the program is killed before it sees an envelope's end: nothing is queued. */
    @Override
    public void close() {
        if (!committed) {
            process.destroyForcibly();
            try {
                envelope.close();
            } catch (IOException e) {
                // Going away.
            }
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        File[] files = dir.toFile().listFiles();
        if (files != null) {
            for (File f : files) {
                f.delete();
            }
        }
        dir.toFile().delete();
    }
}
