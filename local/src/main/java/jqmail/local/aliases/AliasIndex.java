package jqmail.local.aliases;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import jqmail.common.Home;
import jqmail.common.cdb.Cdb;
import jqmail.common.cdb.CdbWriter;

/**
 * The compiled aliases, {@code users/aliases.cdb}: key the lower-cased name,
 * value the targets' {@link Target#text() canonical texts} each ended by a
 * NUL. The empty key (no alias has an empty name) records the source file's
 * modification time, size and path when it was read, so {@link #stale} can tell
 * that the file changed since, whatever the clocks or copies did to the
 * index's own time.
 */
public final class AliasIndex {
    /** Deeper than any sane alias chain (sendmail stops at 10); beyond it is a loop in all but name. */
    static final int MAX_DEPTH = 32;

    private final Cdb cdb;

    private AliasIndex(Cdb cdb) {
        this.cdb = cdb;
    }

    /** What newaliases says: sendmail's "N aliases, longest M bytes, T bytes total", and the warnings. */
    public record Summary(int aliases, int longest, long total, List<String> warnings) {
    }

    /**
     * The targets {@code name} ends in, with aliases followed through the
     * index; {@code loop} is the chain of names that came back to one
     * already being expanded ({@code a, b, a}), empty when there is none.
     */
    public record Expansion(List<Target> targets, List<String> loop) {
    }

    /** Where the index of a home lives: beside users/cdb, root's to write and anyone's to read. */
    public static Path path(Home home) {
        return home.users().resolve("aliases.cdb");
    }

    /**
     * newaliases: parses {@code source} and installs its index atomically (a
     * temporary file, fsync, rename), so readers see the old index or the
     * new; a malformed file or a failed write leaves the old one in place.
     */
    public static Summary compile(Path source, Path index) throws IOException {
        String stamp = stamp(source);   // before reading: a change made while we read shows as stale
        AliasFile.Parsed parsed = AliasFile.read(source);
        CdbWriter w = new CdbWriter();
        int longest = 0;
        long total = 0;
        for (AliasFile.Alias a : parsed.aliases()) {
            StringBuilder v = new StringBuilder();
            for (Target t : a.targets()) {
                v.append(t.text()).append('\0');
            }
            w.add(bytes(a.name()), bytes(v.toString()));
            longest = Math.max(longest, v.length());
            total += v.length();
        }
        w.add(new byte[0], bytes(stamp));
        Path tmp = Files.createTempFile(index.toAbsolutePath().getParent(), "." + index.getFileName(), ".tmp");
        try {
            // jqmaild reads it for RCPT checks; createTempFile's 0600 would hide it.
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            w.install(index, tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return new Summary(parsed.aliases().size(), longest, total, parsed.warnings());
    }

    /** The index, or null when newaliases has not built one. */
    public static AliasIndex open(Path index) throws IOException {
        try {
            return new AliasIndex(Cdb.open(index));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** True when there is no index or {@code source} changed since the index was built from it. */
    public static boolean stale(Path index, Path source) throws IOException {
        AliasIndex i = open(index);
        return i == null || i.staleAgainst(source);
    }

    /** True when {@code source} changed (or went away) since this index was built from it. */
    public boolean staleAgainst(Path source) throws IOException {
        byte[] recorded = cdb.get(new byte[0]);
        try {
            return recorded == null || !new String(recorded, StandardCharsets.ISO_8859_1).equals(stamp(source));
        } catch (NoSuchFileException e) {
            return true;
        }
    }

    /** The file this index was compiled from, as newaliases was given it; null for an index that does not say. */
    public Path source() throws IOException {
        byte[] recorded = cdb.get(new byte[0]);
        String[] f = recorded == null ? new String[0] : new String(recorded, StandardCharsets.ISO_8859_1).split("\0");
        return f.length < 3 ? null : Path.of(f[2]);
    }

    /** Modification time, size and path: what stale compares. */
    private static String stamp(Path source) throws IOException {
        return Files.getLastModifiedTime(source).toMillis() + "\0" + Files.size(source) + "\0"
            + source.toAbsolutePath().normalize();
    }

    /** The targets of {@code name} (any case), or null when it is not an alias. */
    public List<Target> lookup(String name) throws IOException {
        if (name.isEmpty()) {
            return null;
        }
        byte[] v = cdb.get(bytes(name.toLowerCase(Locale.ROOT)));
        if (v == null) {
            return null;
        }
        String s = new String(v, StandardCharsets.ISO_8859_1);
        List<Target> out = new ArrayList<>();
        try {
            for (String t : s.split("\0")) {
                out.add(Target.parse(t));
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("aliases.cdb: a damaged entry for " + name + ": " + e.getMessage());
        }
        return out;
    }

    /** Reads an {@code :include:} file's targets when a delivery expands it. */
    public interface Includes {
        List<Target> read(Path file) throws IOException;
    }

    /** {@link #expand(String, Includes)} with :include: targets left in the result. */
    public Expansion expand(String name) throws IOException {
        return expand(name, null);
    }

    /**
     * Follows local names (no @) through the index, depth first. A name that
     * lists itself ({@code root: root, admin}) means its own mailbox, as in
     * Postfix; {@code \name} is never expanded; a name seen twice on one
     * path is a loop. Addresses with a domain are left for the caller to
     * route. {@code :include:} files are delivery-time data: with
     * {@code includes} they are read and followed like an alias's own
     * targets (a file that includes itself is a loop too), without it they
     * are left in the result.
     */
    public Expansion expand(String name, Includes includes) throws IOException {
        Set<Target> out = new LinkedHashSet<>();
        List<String> path = new ArrayList<>();
        List<String> loop = expand(name.toLowerCase(Locale.ROOT), path, new HashSet<>(), out, includes);
        return new Expansion(List.copyOf(out), loop);
    }

    private List<String> expand(String name, List<String> path, Set<String> done, Set<Target> out,
                                Includes includes) throws IOException {
        List<Target> targets = lookup(name);
        if (targets == null) {
            out.add(Target.parse(name));
            return List.of();
        }
        return follow(name, targets, path, done, out, includes);
    }

    /** The targets of {@code name} (an alias, or an include file's "include:PATH"), followed. */
    private List<String> follow(String name, List<Target> targets, List<String> path, Set<String> done,
                                Set<Target> out, Includes includes) throws IOException {
        path.add(name);
        if (path.size() > MAX_DEPTH) {
            return List.copyOf(path);
        }
        for (Target t : targets) {
            String next = t instanceof Target.Mail m && !m.verbatim() && m.address().value().indexOf('@') < 0
                ? m.address().value().toLowerCase(Locale.ROOT)
                : t instanceof Target.Include && includes != null ? t.text() : null;
            if (next == null) {
                out.add(t);
            } else if (next.equals(name) && t instanceof Target.Mail) {
                out.add(Target.parse("\\" + name));
            } else if (path.contains(next)) {
                List<String> loop = new ArrayList<>(path.subList(path.indexOf(next), path.size()));
                loop.add(next);
                return loop;
            } else if (done.add(next)) {
                List<String> loop = t instanceof Target.Include i
                    ? follow(next, includes.read(i.path()), path, done, out, includes)
                    : expand(next, path, done, out, includes);
                if (!loop.isEmpty()) {
                    return loop;
                }
            }
        }
        path.remove(path.size() - 1);
        return List.of();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
