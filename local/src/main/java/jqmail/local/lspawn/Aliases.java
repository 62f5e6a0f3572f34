package jqmail.local.lspawn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import jqmail.common.Log;
import jqmail.local.aliases.AliasFile;
import jqmail.local.aliases.AliasIndex;
import jqmail.local.aliases.Target;

/**
 * users/aliases.cdb as qmail-lspawn consults it: opened again when
 * newaliases has replaced it; when its source (/etc/aliases) changed since
 * it was built, the old index is still used and that is logged once, as
 * Postfix does. {@code :include:} files are read here, at delivery time, as
 * root's aliases ask: only files of root or the alias user that no one else
 * may write.
 */
final class Aliases {
    /** An include file is a list, not a database: a megabyte is plenty. */
    static final int MAX_INCLUDE = 1 << 20;

    /** How often a delivery looks whether newaliases replaced the index: not a stat or two per delivery. */
    static final long CHECK_NANOS = 1_000_000_000L;

    private final Path index;
    private final int aliasUid;
    private final long checkNanos;
    private Object version = "none";
    private AliasIndex current;
    private boolean warned;
    private long checked;
    private boolean everChecked;

    Aliases(Path index, int aliasUid) {
        this(index, aliasUid, CHECK_NANOS);
    }

    /** {@code checkNanos}: at most one look at the files in that time (0: at every call). */
    Aliases(Path index, int aliasUid, long checkNanos) {
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

    /** An {@code :include:} file's targets; a file others could have written is temporary trouble, not trusted. */
    List<Target> include(Path file) throws IOException {
        int owner = (Integer) Files.getAttribute(file, "unix:uid");
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (owner != 0 && owner != aliasUid || perms.contains(PosixFilePermission.GROUP_WRITE)
            || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(":include: file " + file + " must belong to root or the alias user and be writable"
                + " by no one else");
        }
        try {
            return AliasFile.targetList(file, MAX_INCLUDE);
        } catch (AliasFile.Malformed e) {
            throw new IOException(":include: file " + file + ", " + e.getMessage());
        }
    }
}
