package jqmail.common;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Group commit for one directory's entries. A thread that has just linked
 * or renamed a file into the directory calls {@link #sync()}; it returns once
 * an fsync of the directory that began after the call has completed. While
 * one fsync runs, later callers wait and are all covered by the next one, so
 * twenty concurrent commits cost a few directory fsyncs, not twenty.
 *
 * <p>A thread that will soon add an entry (it is fsyncing its file) says so
 * with {@link #begin()}; the thread about to fsync the directory then waits
 * for such threads, at most {@link #GATHER_NANOS}, so that they share its
 * fsync instead of each needing the next one.
 */
public final class GroupSync {
    /** How long a directory fsync waits for entries that are on their way. */
    static final long GATHER_NANOS = 1_000_000;

    /** The fsync itself; tests count and hold it. */
    public interface Flush {
        void run() throws IOException;
    }

    private final Flush flush;
    private long requested;
    private long durable;
    private boolean flushing;
    private long fsyncs;
    private int waiting;
    private int coming;

    public GroupSync(Path dir) {
        this(new DirectoryFlush(dir));
    }

    /** fsync of a directory through one descriptor kept open, reopened after a failure. */
    private static final class DirectoryFlush implements Flush {
        private final Path dir;
        private FileChannel channel;

        DirectoryFlush(Path dir) {
            this.dir = dir;
        }

        @Override
        public void run() throws IOException {
            try {
                if (channel == null) {
                    channel = FileChannel.open(dir, StandardOpenOption.READ);
                }
                channel.force(true);
            } catch (IOException e) {
                if (channel != null) {
                    channel.close();
                    channel = null;
                }
                throw e;
            }
        }
    }

    public GroupSync(Flush flush) {
        this.flush = flush;
    }

    /** Announces an entry on its way; end it with {@link #syncBegun()} or {@link #abandon()}. */
    public synchronized void begin() {
        coming++;
    }

    /** An announced entry will not come after all. */
    public synchronized void abandon() {
        coming--;
        notifyAll();
    }

    /** Makes every entry change made in the directory before this call durable. */
    public void sync() throws IOException {
        sync(false);
    }

    /** {@link #sync()} for a caller that announced itself with {@link #begin()}. */
    public void syncBegun() throws IOException {
        sync(true);
    }

    private void sync(boolean begun) throws IOException {
        long ticket;
        synchronized (this) {
            if (begun) {
                coming--;
                notifyAll();
            }
            ticket = ++requested;
            while (durable < ticket && flushing) {
                waiting++;
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for a directory fsync");
                } finally {
                    waiting--;
                }
            }
            if (durable >= ticket) {
                return;
            }
            flushing = true;
            gather();
        }
        long target;
        synchronized (this) {
            target = requested;
        }
        IOException failure = null;
        try {
            flush.run();
        } catch (IOException e) {
            failure = e;
        }
        synchronized (this) {
            flushing = false;
            fsyncs++;
            if (failure == null) {
                durable = Math.max(durable, target);
            }
            notifyAll();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Holding the monitor: waits a little for announced entries, so one fsync covers them too. */
    private void gather() {
        long deadline = System.nanoTime() + GATHER_NANOS;
        while (coming > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                wait(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Callers blocked behind a running fsync. */
    synchronized int waiting() {
        return waiting;
    }

    public synchronized long fsyncCount() {
        return fsyncs;
    }
}
