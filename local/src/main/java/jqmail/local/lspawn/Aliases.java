package jqmail.local.lspawn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.io.InputStream;
import jnr.constants.platform.OpenFlags;
import jnr.posix.FileStat;
import jnr.posix.POSIX;
import jqmail.common.Log;
import jqmail.local.aliases.AliasFile;
import jqmail.local.aliases.AliasIndex;
import jqmail.local.aliases.Target;

/**
 * users/aliases.cdb as qmail-lspawn consults it: opened again when
 * newaliases has replaced it; when its source (/etc/aliases) changed since
 * it was built, the old index is still used and that is logged once, as
 * Postfix does. {@code :include:} files are read here, at delivery time, as
 * root's aliases ask: see {@link #include}.
 */
final class Aliases {
    /** An include file is a list, not a database: a megabyte is plenty. */
    static final int MAX_INCLUDE = 1 << 20;

    /** How often a delivery looks whether newaliases replaced the index: not a stat or two per delivery. */
    static final long CHECK_NANOS = 1_000_000_000L;

    private final POSIX posix;
    private final Path index;
    private final int aliasUid;
    private final long checkNanos;
    private Object version = "none";
    private AliasIndex current;
    private boolean warned;
    private long checked;
    private boolean everChecked;

    Aliases(POSIX posix, Path index, int aliasUid) {
        this(posix, index, aliasUid, CHECK_NANOS);
    }

    /** {@code checkNanos}: at most one look at the files in that time (0: at every call). */
    Aliases(POSIX posix, Path index, int aliasUid, long checkNanos) {
        this.posix = posix;
        this.index = index;
        this.aliasUid = aliasUid;
        this.checkNanos = checkNanos;
    }

    /** The index as it is now (a new one is seen within a second), or null when newaliases never built one. */
    synchronized AliasIndex current() throws IOException {
        long now = System.nanoTime();
        if (everChecked && now - checked < checkNanos) {
            return current;
        }
        everChecked = true;
        checked = now;
        Object v = version();
        if (!v.equals(version)) {
            current = AliasIndex.open(index);
            version = v;
            warned = false;
        }
        if (current != null && !warned) {
            Path source = current.source();
            if (source != null && current.staleAgainst(source)) {
                Log.warning("qmail-lspawn: " + source + " changed after " + index + " was built from it; the old"
                    + " aliases apply until newaliases is run");
                warned = true;
            }
        }
        return current;
    }

    private Object version() throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(index, BasicFileAttributes.class);
            return Objects.toString(a.fileKey()) + "/" + a.lastModifiedTime().toMillis() + "/" + a.size();
        } catch (NoSuchFileException e) {
            return "none";
        }
    }

    /**
     * An {@code :include:} file's targets. Read as root, so checked on the
     * open descriptor (opened without following a link, and without
     * blocking on a FIFO): a regular file with one link, of root or the
     * alias user, writable by no one else; a file of root's must be one
     * anyone may read (so no secret of root's, like /etc/shadow, is read on
     * an alias's behalf). Errors name the line, never its text.
     */
    List<Target> include(Path file) throws IOException {
        int flags = OpenFlags.O_RDONLY.intValue() | OpenFlags.O_NOFOLLOW.intValue() | OpenFlags.O_NONBLOCK.intValue()
            | OpenFlags.O_CLOEXEC.intValue();
        int fd = posix.open(file.toString(), flags, 0);
        if (fd < 0) {
            throw new IOException(":include: file " + file + " cannot be opened (errno " + posix.errno() + ")");
        }
        try {
            FileStat st = posix.fstat(fd);
            int mode = st.mode() & 07777;
            boolean trusted = st.uid() == 0 ? (mode & 0004) != 0 : st.uid() == aliasUid;
            if (!st.isFile() || st.nlink() != 1 || !trusted || (mode & 0022) != 0) {
                throw new IOException(":include: file " + file + " must be a file of root's that anyone may read, or"
                    + " the alias user's, with one link, writable by no one else");
            }
            try (InputStream in = Files.newInputStream(Path.of("/proc/self/fd/" + fd))) {
                return AliasFile.targetList(in, MAX_INCLUDE);
            } catch (AliasFile.Malformed e) {
                throw new IOException(":include: file " + file + (e.line > 0 ? ", line " + e.line : "")
                    + ": not a list of addresses, programs and files");
            }
        } finally {
            posix.close(fd);
        }
    }
}
