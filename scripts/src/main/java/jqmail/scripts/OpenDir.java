package jqmail.scripts;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import jnr.constants.platform.Errno;
import jnr.constants.platform.OpenFlags;
import jnr.posix.FileStat;
import jnr.posix.POSIX;

/**
 * A directory held open by its descriptor, with every name below it
 * resolved from that descriptor ({@code /proc/self/fd/N/NAME}, the JDK
 * having no openat) and never following a link at the last step. The
 * queue's directories belong to less trusted users than root, who runs
 * {@code jqmail queue fsck} in a system home: a path could be swapped for
 * a link between a check and a chmod, chown or rename, and root would then
 * act on a file of the attacker's choosing. A descriptor cannot be swapped.
 */
final class OpenDir implements AutoCloseable {
    private static final int DIR_FLAGS = OpenFlags.O_RDONLY.intValue() | OpenFlags.O_DIRECTORY.intValue()
        | OpenFlags.O_NOFOLLOW.intValue() | OpenFlags.O_CLOEXEC.intValue();
    /** O_NONBLOCK: opening a FIFO for reading must not wait for a writer. */
    private static final int ENTRY_FLAGS = OpenFlags.O_RDONLY.intValue() | OpenFlags.O_NOFOLLOW.intValue()
        | OpenFlags.O_NONBLOCK.intValue() | OpenFlags.O_CLOEXEC.intValue();

    private final POSIX posix;
    private final int fd;
    private final String shown;

    private OpenDir(POSIX posix, int fd, String shown) {
        this.posix = posix;
        this.fd = fd;
        this.shown = shown;
    }

    /** Opens a directory the caller trusts the path of (the home). */
    static OpenDir open(POSIX posix, Path dir, String shown) throws IOException {
        int fd = posix.open(dir.toString(), DIR_FLAGS, 0);
        if (fd < 0) {
            throw new IOException("unable to open " + dir + ": " + error(posix));
        }
        return new OpenDir(posix, fd, shown);
    }

    /** The subdirectory NAME, opened from this one; a link there is refused. */
    OpenDir sub(String name) throws IOException {
        return open(posix, at(name), child(name));
    }

    /** How reports name this directory: its path in the home, such as {@code queue/mess/5}. */
    String shown() {
        return shown;
    }

    /** How reports name an entry of this directory. */
    String child(String name) {
        return shown.isEmpty() ? name : shown + "/" + name;
    }

    /** NAME below this directory's descriptor: the kernel resolves it from the open directory, not a path. */
    Path at(String name) {
        return Path.of("/proc/self/fd/" + fd).resolve(name);
    }

    /** The entries' names, sorted. */
    List<String> names() throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/self/fd/" + fd))) {
            for (Path p : ds) {
                out.add(p.getFileName().toString());
            }
        }
        out.sort(null);
        return out;
    }

    /** The entry itself (a link is not followed), or null when there is none. */
    FileStat lstat(String name) throws IOException {
        FileStat st = posix.allocateStat();
        if (posix.lstat(at(name).toString(), st) != 0) {
            if (posix.errno() == Errno.ENOENT.intValue()) {
                return null;
            }
            throw new IOException("unable to stat " + child(name) + ": " + error(posix));
        }
        return st;
    }

    /** A regular file's contents for reading; anything else (a link, a FIFO) is refused. */
    FileChannel read(String name) throws IOException {
        int f = openEntry(name);
        try {
            if (!posix.fstat(f).isFile()) {
                throw new IOException(child(name) + " is not a regular file");
            }
            return FileChannel.open(Path.of("/proc/self/fd/" + f), StandardOpenOption.READ);
        } finally {
            posix.close(f);
        }
    }

    /**
     * Sets an entry's owner (unless {@code uid} is negative; {@code gid}
     * negative keeps the group) and mode, through a descriptor. An owner who
     * is not root may have left themselves no read permission; then the
     * path is used, which only they could have swapped.
     */
    void setAttributes(String name, int uid, int gid, int mode) throws IOException {
        int f = posix.open(at(name).toString(), ENTRY_FLAGS, 0);
        if (f < 0) {
            if (posix.errno() != Errno.EACCES.intValue() || posix.geteuid() == 0 || uid >= 0) {
                throw new IOException("unable to open " + child(name) + ": " + error(posix));
            }
            FileStat st = lstat(name);
            if (st == null || st.isSymlink()) {
                throw new IOException(child(name) + " changed while being repaired");
            }
            check(posix.chmod(at(name).toString(), mode), "chmod", name);
            return;
        }
        try {
            if (uid >= 0) {
                // Before the chmod: chown clears the set-id bits.
                check(posix.fchown(f, uid, gid), "chown", name);
            }
            check(posix.fchmod(f, mode), "chmod", name);
        } finally {
            posix.close(f);
        }
    }

    void mkdir(String name, int mode) throws IOException {
        check(posix.mkdir(at(name).toString(), mode), "mkdir", name);
    }

    void mkfifo(String name, int mode) throws IOException {
        check(posix.mkfifo(at(name).toString(), mode), "mkfifo", name);
    }

    /** Renames an entry into {@code to} (the entry itself, whatever it is); never replaces one there. */
    void rename(String name, OpenDir to, String newName) throws IOException {
        if (to.lstat(newName) != null) {
            throw new IOException(to.child(newName) + " exists");
        }
        Files.move(at(name), to.at(newName), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes a file (a link itself, never what it points to); an entry already gone is fine. */
    void unlink(String name) throws IOException {
        Files.deleteIfExists(at(name));
    }

    private int openEntry(String name) throws IOException {
        int f = posix.open(at(name).toString(), ENTRY_FLAGS, 0);
        if (f < 0) {
            throw new IOException("unable to open " + child(name) + ": " + error(posix));
        }
        return f;
    }

    private void check(int rc, String what, String name) throws IOException {
        if (rc != 0) {
            throw new IOException("unable to " + what + " " + child(name) + ": " + error(posix));
        }
    }

    private static String error(POSIX posix) {
        Errno e = Errno.valueOf(posix.errno());
        return e == null ? "errno " + posix.errno() : e.description();
    }

    @Override
    public void close() {
        posix.close(fd);
    }
}
