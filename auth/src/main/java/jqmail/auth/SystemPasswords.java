package jqmail.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import jnr.posix.POSIX;

/**
 * The system's own logins: a name in {@code /etc/passwd} with a uid of at
 * least {@link #FIRST_UID} (login.defs' UID_MIN on Debian: system accounts
 * and root never log in to mail), whose {@code /etc/shadow} hash (yescrypt,
 * SHA-512 crypt ... whatever libcrypt knows) the password must match. The
 * auth service reads shadow through its group, as DESIGN §2 gives it.
 */
final class SystemPasswords {
    static final int FIRST_UID = 1000;
    /** The files are the system's; a few MB is far beyond any real one. */
    static final long MAX_SIZE = 8L << 20;

    private final Path passwd;
    private final Path shadow;
    private final POSIX posix;

    SystemPasswords(Path passwd, Path shadow, POSIX posix) {
        this.passwd = passwd;
        this.shadow = shadow;
        this.posix = posix;
    }

    /** Whether {@code name} is a system login at all (then {@link #matches} decides). */
    boolean has(String name) throws IOException {
        String[] pw = entry(passwd, name);
        if (pw == null || pw.length < 7) {
            return false;
        }
        try {
            return Long.parseLong(pw[2]) >= FIRST_UID;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    boolean matches(String name, String password) throws IOException {
        String[] sh = entry(shadow, name);
        if (sh == null || sh.length < 2) {
            return false;
        }
        String hash = sh[1];
        if (hash.isEmpty() || hash.startsWith("!") || hash.startsWith("*")) {
            return false;   // locked, or no password: never a login
        }
        CharSequence got = posix.crypt(password, hash);
        return got != null
            && MessageDigest.isEqual(got.toString().getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8));
    }

    /** The colon-separated fields of {@code name}'s line, or null. */
    private static String[] entry(Path file, String name) throws IOException {
        if (name.isEmpty() || name.indexOf(':') >= 0 || name.indexOf('\n') >= 0) {
            return null;
        }
        if (Files.size(file) > MAX_SIZE) {
            throw new IOException(file + ": larger than " + MAX_SIZE + " bytes");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String l : lines) {
            if (l.startsWith(name + ":")) {
                return l.split(":", -1);
            }
        }
        return null;
    }
}
