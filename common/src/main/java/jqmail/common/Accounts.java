package jqmail.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which local parts have a mailbox here, decided at the account level as
 * Postfix's local_recipient_maps does (DESIGN §7): from {@code users/assign},
 * the system's passwd file and the alias user's {@code .qmail-*} names,
 * never by reading a user's home directory. Extensions of an existing
 * account ({@code user-anything}) are accepted; delivery resolves them.
 *
 * <pre>
 * users/assign   =local:user:uid:gid:home:dash:ext:   one local part
 *                +prefix:user:uid:gid:home:dash:ext:  every local part starting with prefix
 * passwd         an account with uid other than 0, name of lower case and under 32 bytes;
 *                "name" or "name-anything"
 * alias/         .qmail-LOCAL (dots as colons), .qmail-PREFIX-default, .qmail-default
 * </pre>
 *
 * A snapshot: reload it (cheaply, see {@link #reloadIfChanged}) for each
 * new connection.
 */
public final class Accounts {
    /** Enough for any real passwd or assign file; a larger one is refused rather than read. */
    private static final long MAX_FILE = 64L * 1024 * 1024;

    private final Path assignFile;
    private final Path passwdFile;
    private final Path aliasDir;
    private final Set<String> exact = new HashSet<>();
    private final List<String> prefixes = new ArrayList<>();
    private final Set<String> systemUsers = new HashSet<>();
    private final Set<String> aliases = new HashSet<>();
    private long stamp;

    private Accounts(Path assignFile, Path passwdFile, Path aliasDir) {
        this.assignFile = assignFile;
        this.passwdFile = passwdFile;
        this.aliasDir = aliasDir;
    }

    public static Accounts load(Home home) throws IOException {
        return load(home.users().resolve("assign"), Path.of("/etc/passwd"), home.alias());
    }

    public static Accounts load(Path assign, Path passwd, Path aliasDir) throws IOException {
        Accounts a = new Accounts(assign, passwd, aliasDir);
        a.read();
        return a;
    }

    /** This snapshot if nothing it was read from changed, else a fresh one. */
    public Accounts reloadIfChanged() throws IOException {
        return stamp() == stamp ? this : load(assignFile, passwdFile, aliasDir);
    }

    private long stamp() throws IOException {
        long s = 17;
        for (Path p : new Path[] {assignFile, passwdFile, aliasDir}) {
            try {
                s = s * 31 + Files.getLastModifiedTime(p).to(java.util.concurrent.TimeUnit.NANOSECONDS);
                s = s * 31 + (Files.isDirectory(p) ? 0 : Files.size(p));
            } catch (NoSuchFileException e) {
                s = s * 31 + 1;
            }
        }
        return s;
    }

    private void read() throws IOException {
        stamp = stamp();
        for (String line : lines(assignFile)) {
            if (line.length() < 2 || line.equals(".")) {
                continue;
            }
            int colon = line.indexOf(':', 1);
            if (colon < 0) {
                continue;
            }
            String key = line.substring(1, colon).toLowerCase(Locale.ROOT);
            if (line.charAt(0) == '=') {
                exact.add(key);
            } else if (line.charAt(0) == '+') {
                prefixes.add(key);
            }
        }
        for (String line : lines(passwdFile)) {
            String[] f = line.split(":", -1);
            if (f.length >= 3 && !f[2].equals("0") && f[0].length() < 32 && f[0].equals(f[0].toLowerCase(Locale.ROOT))
                && !f[0].isEmpty()) {
                systemUsers.add(f[0]);
            }
        }
        try (var ds = Files.newDirectoryStream(aliasDir, ".qmail-*")) {
            for (Path p : ds) {
                aliases.add(p.getFileName().toString().substring(".qmail-".length()).toLowerCase(Locale.ROOT));
            }
        } catch (NoSuchFileException e) {
            // No alias user here.
        }
    }

    private static List<String> lines(Path p) throws IOException {
        try {
            if (Files.size(p) > MAX_FILE) {
                throw new IOException(p + " is larger than " + MAX_FILE + " bytes");
            }
            return List.of(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).split("\n"));
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    /** Whether {@code local} (the part before the @ of a local-domain address) has a mailbox. */
    public boolean exists(String local) {
        String l = local.toLowerCase(Locale.ROOT);
        if (exact.contains(l)) {
            return true;
        }
        for (String p : prefixes) {
            if (l.startsWith(p)) {
                return true;
            }
        }
        if (systemUsers.contains(l)) {
            return true;
        }
        String alias = l.replace('.', ':');
        if (aliases.contains(alias) || aliases.contains("default")) {
            return true;
        }
        for (int dash = l.lastIndexOf('-'); dash > 0; dash = l.lastIndexOf('-', dash - 1)) {
            String user = l.substring(0, dash);
            if (exact.contains(user) || systemUsers.contains(user)
                || aliases.contains(user.replace('.', ':') + "-default")) {
                return true;
            }
        }
        return false;
    }
}
