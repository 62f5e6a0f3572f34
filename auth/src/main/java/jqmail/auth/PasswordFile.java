package jqmail.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * {@code users/passwd}: one line per virtual user,
 * {@code NAME:pbkdf2-sha256:ITERATIONS:SALT:HASH} (base64 salt and hash),
 * written by {@code jqmail user add --password-file}. Reread when the file
 * changes. A check of an unknown name costs what a known one costs, so
 * timing does not tell which names exist.
 */
public final class PasswordFile {
    static final String SCHEME = "pbkdf2-sha256";
    static final int ITERATIONS = 210_000;
    static final int MAX_SIZE = 16 * 1024 * 1024;

    record Entry(int iterations, byte[] salt, byte[] hash) {
    }

    private final Path file;
    private Map<String, Entry> entries = Map.of();
    private Object stamp;
    private final Entry decoy;

    PasswordFile(Path file) {
        this.file = file;
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        this.decoy = new Entry(ITERATIONS, salt, new byte[32]);
    }

    /** The line {@code jqmail user add} writes for this password. */
    public static String line(String name, String password) throws GeneralSecurityException {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        return name + ":" + SCHEME + ":" + ITERATIONS + ":" + b64.encodeToString(salt) + ":"
            + b64.encodeToString(derive(password, salt, ITERATIONS));
    }

    /** True when the name has a line and the password matches it; false for every other case, in the same time. */
    boolean matches(String name, String password) throws IOException {
        Entry e;
        synchronized (this) {
            reloadIfChanged();
            e = entries.get(name);
        }
        // The slow part runs outside the lock: checks on several cores at once.
        Entry against = e != null ? e : decoy;
        byte[] got;
        try {
            got = derive(password, against.salt(), against.iterations());
        } catch (GeneralSecurityException x) {
            throw new IOException("PBKDF2 unavailable: " + x.getMessage(), x);
        }
        return MessageDigest.isEqual(got, against.hash()) && e != null;
    }

    synchronized boolean has(String name) throws IOException {
        reloadIfChanged();
        return entries.containsKey(name);
    }

    private void reloadIfChanged() throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            entries = Map.of();
            stamp = null;
            return;
        }
        Object now = List.of(a.fileKey() == null ? "" : a.fileKey(), a.lastModifiedTime(), a.size());
        if (now.equals(stamp)) {
            return;
        }
        if (a.size() > MAX_SIZE) {
            throw new IOException(file + ": larger than " + MAX_SIZE + " bytes");
        }
        Map<String, Entry> m = new HashMap<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = l.split(":", -1);
            if (f.length != 5 || !f[1].equals(SCHEME)) {
                continue;   // a line this version cannot check refuses its user rather than the whole file
            }
            try {
                int n = Integer.parseInt(f[2]);
                if (n < 1 || n > 10_000_000) {
                    continue;
                }
                m.put(f[0], new Entry(n, Base64.getDecoder().decode(f[3]), Base64.getDecoder().decode(f[4])));
            } catch (IllegalArgumentException e) {
                // A damaged line: that user cannot log in.
            }
        }
        entries = m;
        stamp = now;
    }

    private static byte[] derive(String password, byte[] salt, int iterations) throws GeneralSecurityException {
        KeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    }
}
