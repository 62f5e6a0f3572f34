package jqmail.queue.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import jnr.constants.platform.Errno;
import jnr.constants.platform.OpenFlags;
import jnr.posix.FileStat;
import jnr.posix.POSIX;
import jqmail.common.Fsync;
import jqmail.common.Log;
import jqmail.queue.Queue;

/**
 * Files of finished messages, kept in {@code tmp/} as {@code free.N} and
 * written again for new messages. The queue daemon's only.
 *
 * <p>Why: ext4 without a journal, a common set-up on virtual machines and
 * this project's test machine, does not hand out an inode freed in the last
 * 60 seconds (6 minutes while its table block is dirty), and at every new
 * file walks past each such inode, looking up its table block. With one
 * queue file freed per message that walk took 40 % of the queue daemon's
 * CPU at 700 messages a second. A file written again frees no inode and
 * takes none.
 *
 * <p>Why it is safe:
 * <ul>
 * <li>The finished message's file is first renamed out of {@code todo/} or
 * {@code mess/} into {@code tmp/}, where no reader opens anything, under a
 * name never used before ({@code N} counts up from above every name found at
 * start), so after the rename no one can open it by a name, and no two
 * files share one.
 * <li>It is kept only if no other process has it open at that moment: the
 * kernel grants a write lease ({@code F_SETLEASE}) only to the holder of a
 * file's one open description. A file still open elsewhere (a delivery that
 * outlived its scheduler, say) is unlinked, as are files with a second link,
 * another owner or another mode. A reader whose open raced the rename sees
 * that its names are gone ({@link Queue#stillQueued}): queue names are never
 * used for another message.
 * <li>It is written again only after the directory it left has been fsynced
 * (once a second for all files kept meanwhile, by the queue daemon's
 * {@code file-pool} thread), so a power cut can never
 * leave the old name on disk pointing at the next message's bytes: the
 * guarantee the kernel's own recently-deleted check gives for unlinked
 * inodes on a file system without a journal.
 * <li>It is emptied then, before it is handed out.
 * </ul>
 * Where leases are refused (a file system without them, or
 * {@code fs.leases-enable = 0}) nothing is kept and files are unlinked as
 * before.
 */
public final class FilePool implements Queue.KeptFiles {
    /** At most this many are kept or waiting: a drain after a burst would otherwise fill tmp/. */
    static final int MAX = 4096;
    /** How often kept files are made ready: one fsync per directory they left, per period. */
    static final long SYNC_MILLIS = 1000;
    private static final int F_SETLEASE = 1024;
    private static final int F_WRLCK = 1;
    private static final int F_UNLCK = 2;
    /** The queue's mode (or less, under a stricter umask): nothing else is written again. */
    private static final int MODE = 0640;

    private final POSIX posix;
    private final Path tmp;
    private final int uid;
    private final AtomicLong names = new AtomicLong();
    private final ConcurrentLinkedDeque<Kept> ready = new ConcurrentLinkedDeque<>();
    /** Inode numbers of every kept file, ready or waiting: one file is never kept twice. */
    private final Set<Long> inodes = new HashSet<>();
    private List<Kept> waiting = new ArrayList<>();
    private Set<Path> leftDirectories = new LinkedHashSet<>();
    private volatile boolean leases = true;

    private record Kept(Path path, long inode) {
    }

    public FilePool(POSIX posix, Path tmp) {
        this.posix = posix;
        this.tmp = tmp;
        this.uid = posix.geteuid();
    }

    /** A fresh name in tmp/ for a finished message's file. */
    @Override
    public Path newName() {
        return tmp.resolve(Queue.KEPT_PREFIX + names.incrementAndGet());
    }

    /** At start, for each kept file found: later names count on from above it. */
    @Override
    public void sawName(String name) {
        try {
            long n = Long.parseLong(name.substring(Queue.KEPT_PREFIX.length()));
            names.accumulateAndGet(n, Math::max);
        } catch (NumberFormatException e) {
            // Not one of ours: kept under a new name or removed by the caller.
        }
    }

    /** An empty file ready to be written, or null when there is none. */
    @Override
    public Path take() {
        Kept k = ready.poll();
        if (k == null) {
            return null;
        }
        synchronized (this) {
            inodes.remove(k.inode);
        }
        return k.path;
    }

    /**
     * Takes a file just renamed into tmp/ (by {@link #newName}) out of the
     * directory {@code left}: kept, to be ready after that directory's next
     * fsync, when no one else has it open and the pool has room; unlinked
     * otherwise. {@code left} is null for a file found at start, when the
     * caller fsyncs every directory itself.
     *
     * @return true if it was kept
     */
    @Override
    public boolean keep(Path p, Path left) throws IOException {
        Long inode = leases ? alone(p) : null;
        if (inode != null) {
            synchronized (this) {
                if (inodes.size() < MAX && inodes.add(inode)) {
                    waiting.add(new Kept(p, inode));
                    if (left != null) {
                        leftDirectories.add(left);
                    }
                    return true;
                }
            }
        }
        Files.deleteIfExists(p);
        return false;
    }

    /** How many files are kept, ready or waiting. */
    @Override
    public synchronized int size() {
        return inodes.size();
    }

    /**
     * Fsyncs the directories the waiting files left, then empties those
     * files and makes them ready. Run once a second by the queue daemon,
     * and at start.
     */
    @Override
    public void sync() {
        List<Kept> now;
        Set<Path> dirs;
        synchronized (this) {
            if (waiting.isEmpty()) {
                return;
            }
            now = waiting;
            dirs = leftDirectories;
            waiting = new ArrayList<>();
            leftDirectories = new LinkedHashSet<>();
        }
        try {
            for (Path d : dirs) {
                Fsync.directory(d);
            }
        } catch (IOException e) {
            Log.warning("unable to fsync a queue directory: " + e.getMessage() + "; finished files unlinked");
            discard(now);
            return;
        }
        for (Kept k : now) {
            if (posix.truncate(k.path.toString(), 0) == 0) {
                ready.add(k);
            } else {
                discard(List.of(k));
            }
        }
    }

    private void discard(List<Kept> files) {
        for (Kept k : files) {
            synchronized (this) {
                inodes.remove(k.inode);
            }
            try {
                Files.deleteIfExists(k.path);
            } catch (IOException e) {
                // Emptied and kept at the next start instead.
            }
        }
    }

    /**
     * The file's inode number if this is its one open description, it is a
     * regular file with one link, the daemon's own and of the queue's mode;
     * else null. Asks for a write lease and gives it back at once.
     */
    private Long alone(Path p) {
        int fd = posix.open(p.toString(), OpenFlags.O_WRONLY.intValue() | OpenFlags.O_NOFOLLOW.intValue()
            | OpenFlags.O_NONBLOCK.intValue() | OpenFlags.O_CLOEXEC.intValue(), 0);
        if (fd < 0) {
            return null;
        }
        try {
            FileStat st = posix.fstat(fd);
            if (!st.isFile() || st.nlink() != 1 || st.uid() != uid || (st.mode() & 07777 & ~MODE) != 0) {
                return null;
            }
            if (posix.libc().fcntl(fd, F_SETLEASE, F_WRLCK) != 0) {
                int errno = posix.errno();
                if (errno == Errno.EINVAL.intValue() || errno == Errno.ENOSYS.intValue()) {
                    leases = false;
                    Log.warning("no write leases on " + tmp + " (errno " + errno
                        + "): finished messages' files are unlinked, not used again");
                }
                return null;   // EAGAIN: open elsewhere
            }
            posix.libc().fcntl(fd, F_SETLEASE, F_UNLCK);
            return st.ino();
        } finally {
            posix.close(fd);
        }
    }
}
