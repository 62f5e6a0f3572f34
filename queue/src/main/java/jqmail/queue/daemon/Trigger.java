package jqmail.queue.daemon;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jnr.constants.platform.Errno;
import jnr.constants.platform.OpenFlags;
import jnr.posix.POSIX;
import jqmail.common.Log;
import jqmail.common.QueueId;

/**
 * Wakes the scheduler after commits, qmail's way: bytes written
 * non-blocking to the FIFO {@code queue/lock/trigger}. Each wake-up is the
 * new message's id and a newline, so the scheduler need not scan
 * {@code todo/}; a line "*" means ids were dropped (the pipe was full) and it
 * should scan. With no scheduler reading, the open fails with ENXIO and the
 * ids are dropped: the scheduler scans {@code todo/} when it starts, and the
 * next wake-up that gets through asks for a scan too.
 *
 * <p>Commit threads only post to a queue; one thread here does the writing,
 * so an injection never waits for, or fails because of, the scheduler.
 */
final class Trigger implements Runnable {
    /** Writes of at most PIPE_BUF bytes are atomic: all or EAGAIN. */
    private static final int PIPE_BUF = 4096;

    private final POSIX posix;
    private final Path fifo;
    private final BlockingQueue<QueueId> pending = new LinkedBlockingQueue<>();
    private int fd = -1;
    /**
     * True when ids may have been dropped. It starts true: a queue daemon
     * killed between a commit and its trigger leaves a message in todo/ that
     * no one announced, so the first wake-up after a start asks for a scan.
     */
    private boolean dropped = true;
    private boolean warned;

    Trigger(POSIX posix, Path fifo) {
        this.posix = posix;
        this.fifo = fifo;
    }

    /** Never blocks. */
    void pull(QueueId id) {
        pending.offer(id);
    }

    @Override
    public void run() {
        List<QueueId> batch = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                QueueId first = pending.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                pending.drainTo(batch);
                deliver(batch);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void deliver(List<QueueId> ids) {
        StringBuilder b = new StringBuilder();
        if (dropped) {
            b.append("*\n");
        }
        for (QueueId id : ids) {
            String line = id + "\n";
            if (b.length() + line.length() > PIPE_BUF) {
                if (!write(b)) {
                    dropped = true;
                    return;
                }
                b.setLength(0);
            }
            b.append(line);
        }
        dropped = !write(b);
    }

    /** One atomic write; false (and the ids dropped: the caller asks for a scan next time) when no reader or no room. */
    private boolean write(StringBuilder b) {
        if (fd < 0) {
            fd = posix.open(fifo.toString(), OpenFlags.O_WRONLY.intValue() | OpenFlags.O_NONBLOCK.intValue()
                | OpenFlags.O_CLOEXEC.intValue(), 0);
            if (fd < 0) {
                int err = posix.errno();
                if (err != Errno.ENXIO.intValue() && !warned) {
                    Log.warning("unable to open " + fifo + ": " + Errno.valueOf(err) + " (said once)");
                    warned = true;
                }
                // No scheduler. It scans todo/ when it starts; the next wake-up asks again anyway.
                return false;
            }
        }
        warned = false;
        byte[] bytes = b.toString().getBytes(StandardCharsets.US_ASCII);
        int n = posix.write(fd, bytes, bytes.length);
        if (n == bytes.length) {
            return true;
        }
        int err = posix.errno();
        if (n < 0 && err == Errno.EAGAIN.intValue()) {
            return false;
        }
        // EPIPE: the scheduler went away. Reopen next time.
        posix.close(fd);
        fd = -1;
        return false;
    }
}
