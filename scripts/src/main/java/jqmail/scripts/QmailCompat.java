package jqmail.scripts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import jqmail.common.Home;

/**
 * {@code jqmail setup --qmail-compat}: a /var/qmail for tools that hard-code
 * qmail's paths. It is a directory of root's holding
 * <pre>
 * .jqmail            the home it belongs to (one line): what makes it ours
 * bin/PROG           a link to HOME/bin/PROG, the launcher bound to the home, for each program
 * bin/qmail-showctl  qmail names of jqmail subcommands: HOME/bin/jqmail showctl,
 * bin/qmail-newu       newu, tcpok
 * bin/qmail-tcpok
 * control, alias, users   links to HOME/control, HOME/alias, HOME/users
 * </pre>
 * Not {@code queue}: jqmail's queue files are not qmail's, and a tool that
 * reads or writes them directly would do harm; such tools use qmail-qread,
 * qmail-qstat and qmail-queue instead, which work. A /var/qmail that exists
 * without a {@code .jqmail} naming this home (a real qmail, another home's)
 * is refused and left alone. The path is {@code /var/qmail}; tests name
 * another with the system property {@value #PROPERTY}.
 */
final class QmailCompat {
    /** Tests only: the directory to use instead of /var/qmail. */
    static final String PROPERTY = "jqmail.qmailCompatDir";
    static final String MARK = ".jqmail";

    /** qmail's programs that are jqmail subcommands here, with the subcommand. */
    private static final Map<String, String> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("qmail-showctl", "showctl");
        SUBCOMMANDS.put("qmail-newu", "newu");
        SUBCOMMANDS.put("qmail-tcpok", "tcpok");
    }

    private final Home home;
    private final Path dir;

    QmailCompat(Home home) {
        this.home = home;
        String p = System.getProperty(PROPERTY);
        this.dir = Path.of(p != null ? p : "/var/qmail").toAbsolutePath().normalize();
    }

    Path dir() {
        return dir;
    }

    /** The home a jqmail-made directory names; null when there is no such directory or it is not jqmail's. */
    private String owner() throws IOException {
        Path mark = dir.resolve(MARK);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || !Files.isRegularFile(mark, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        return Files.readString(mark, StandardCharsets.UTF_8).strip();
    }

    /** True when the directory exists and was made for this home. */
    boolean ours() throws IOException {
        return home.root().toString().equals(owner());
    }

    /** Null when {@link #make} may go ahead; else why not, in a few words. */
    String refusal() throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return Files.isDirectory(dir.getParent()) ? null : dir.getParent() + " does not exist";
        }
        String owner = owner();
        if (owner == null) {
            return dir + " exists and is not jqmail's (a qmail installation?): move it away first";
        }
        if (!owner.equals(home.root().toString())) {
            return dir + " belongs to the jqmail home " + owner;
        }
        return null;
    }

    /**
     * Makes the directory, or brings one of ours up to date (the programs of
     * this dist). A new one is filled under a temporary name and renamed
     * into place: it appears whole, marked, or not at all.
     */
    void make() throws IOException {
        String why = refusal();
        if (why != null) {
            throw new IOException(why);
        }
        if (ours()) {
            fill(dir);
            return;
        }
        Path tmp = dir.resolveSibling("." + dir.getFileName() + ".jqmail-tmp");
        if (Files.exists(tmp, LinkOption.NOFOLLOW_LINKS)) {
            Removal.deleteTree(tmp);
        }
        Files.createDirectory(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try {
            Setup.writeAtomically(tmp.resolve(MARK), home.root() + "\n", 0644);
            fill(tmp);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (Files.exists(tmp, LinkOption.NOFOLLOW_LINKS)) {
                Removal.deleteTree(tmp);
            }
        }
    }

    private void fill(Path d) throws IOException {
        for (String name : new String[] {"control", "alias", "users"}) {
            link(d.resolve(name), home.root().resolve(name));
        }
        Path bin = d.resolve("bin");
        Files.createDirectories(bin);
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Stream<Path> s = Files.list(bin)) {   // what an older dist had and this one lacks
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (!SUBCOMMANDS.containsKey(n) && !Files.exists(home.bin().resolve(n), LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(p);
                }
            }
        }
        try (Stream<Path> s = Files.list(home.bin())) {
            for (Path prog : (Iterable<Path>) s::iterator) {
                link(bin.resolve(prog.getFileName().toString()), prog);
            }
        }
        for (Map.Entry<String, String> e : SUBCOMMANDS.entrySet()) {
            Setup.writeAtomically(bin.resolve(e.getKey()), "#!/bin/sh\nexec "
                + Setup.quote(home.bin().resolve("jqmail").toString()) + " " + e.getValue() + " \"$@\"\n", 0755);
        }
    }

    /** A symbolic link {@code at} to {@code target}, replacing what is there in one rename. */
    private static void link(Path at, Path target) throws IOException {
        if (Files.isSymbolicLink(at) && Files.readSymbolicLink(at).equals(target)) {
            return;
        }
        Path tmp = at.resolveSibling("." + at.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, target);
        Files.move(tmp, at, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@code setup --system --remove}: deletes the directory when it is this home's. */
    boolean remove() throws IOException {
        if (!ours()) {
            return false;
        }
        Removal.deleteTree(dir);
        return true;
    }
}
