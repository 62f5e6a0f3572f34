package jqmail.queue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import jnr.constants.platform.Errno;
import jnr.constants.platform.OpenFlags;
import jnr.posix.POSIX;
import jqmail.common.Log;

/**
 * Files of finished messages, kept empty in {@code tmp/} as {@code free.ID}
 * and written again for new messages. The queue daemon's only.
 *
 * <p>Why: ext4 without a journal, a common set-up on virtual machines and
 * this project's test machine, does not hand out an inode freed in the last
 * 30 seconds, and at every file creation walks past each such inode, looking
 * up its table block. With one queue file freed per message that walk took
 * 40 % of the queue daemon's CPU at 700 messages a second. A file written
 * again frees no inode and takes none.
 *
 * <p>Why it is safe: the finished message's file is first renamed out of
 * {@code todo/} or {@code mess/} into {@code tmp/}, where no reader opens
 * anything, so after the rename no one can open it. It is kept only if no
 * other process has it open at that moment: the kernel grants a write lease
 * ({@code F_SETLEASE}) only to the holder of a file's one open description.
 * A file still open elsewhere (a delivery abandoned by a scheduler that
 * restarted, say) is unlinked, so a late reader never meets the next
 * message's bytes. A kept file is cut to nothing at once: it holds no mail.
 * Where leases are refused (a file system without them, or
 * {@code fs.leases-enable = 0}) nothing is kept and files are unlinked as
 * before.
 */
public final class FilePool {
    /** The name prefix of kept files in tmp/; never a queue id. */
    public static final String PREFIX = "free.";
    /** At most this many are kept: a drain after a burst would otherwise fill tmp/. */
    static final int MAX = 4096;
    private static final int F_SETLEASE = 1024;
    private static final int F_WRLCK = 1;
    private static final int F_UNLCK = 2;

    private final POSIX posix;
    private final ConcurrentLinkedDeque<Path> files = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();
    private volatile boolean leases = true;

    FilePool(POSIX posix) {
        this.posix = posix;
    }

    /** An empty kept file, or null when there is none. */
    Path take() {
        Path p = files.poll();
        if (p != null) {
            size.decrementAndGet();
        }
        return p;
    }

    /**
     * Takes a file that was renamed into tmp/ under a {@link #PREFIX} name:
     * kept, emptied, when no one else has it open and the pool has room;
     * unlinked otherwise.
     *
     * @return true if it was kept
     */
    boolean keep(Path p) throws IOException {
        if (size.get() < MAX && alone(p)) {
            if (size.incrementAndGet() <= MAX) {
                files.add(p);
                return true;
            }
            size.decrementAndGet();
        }
        Files.deleteIfExists(p);
        return false;
    }

    int size() {
        return size.get();
    }

    /** Opens p for writing and asks for a write lease: granted only if this is its one open description. */
    private boolean alone(Path p) {
        if (!leases) {
            return false;
        }
        int fd = posix.open(p.toString(), OpenFlags.O_WRONLY.intValue() | OpenFlags.O_NOFOLLOW.intValue()
            | OpenFlags.O_NONBLOCK.intValue() | OpenFlags.O_CLOEXEC.intValue(), 0);
        if (fd < 0) {
            return false;
        }
        try {
            if (posix.libc().fcntl(fd, F_SETLEASE, F_WRLCK) != 0) {
                int errno = posix.errno();
                if (errno != Errno.EAGAIN.intValue() && errno != Errno.EBUSY.intValue()) {
                    leases = false;
                    Log.warning("no write leases on " + p.getParent() + " (errno " + errno
                        + "): finished messages' files are unlinked, not used again");
                }
                return false;
            }
            posix.libc().fcntl(fd, F_SETLEASE, F_UNLCK);
            return posix.ftruncate(fd, 0) == 0;
        } finally {
            posix.close(fd);
        }
    }
}
