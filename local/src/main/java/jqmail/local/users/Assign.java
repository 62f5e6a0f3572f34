package jqmail.local.users;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import jqmail.common.cdb.Cdb;
import jqmail.common.cdb.CdbWriter;

/**
 * qmail's users/assign and its index users/cdb, in qmail-newu's format so
 * qmail's tools read it:
 *
 * <pre>
 * =local:user:uid:gid:home:dash:ext:      the address "local" exactly
 * +prefix:user:uid:gid:home:dash:pre:     every address beginning with prefix;
 *                                         the rest of it is appended to pre
 * .                                       the end
 * </pre>
 *
 * cdb keys: {@code !local\0} for exact lines, {@code !prefix} for wildcards,
 * and the empty key holding the last characters of every wildcard prefix;
 * values {@code user\0uid\0gid\0home\0dash\0ext\0}.
 */
public final class Assign {
    private Assign() {
    }

    /** qmail-newu: compiles users/assign into users/cdb; a malformed line is an error naming it. */
    public static void compile(Path assign, Path cdb) throws IOException {
        CdbWriter w = new CdbWriter();
        Set<Character> lastChars = new LinkedHashSet<>();
        int n = 0;
        boolean ended = false;
        for (String line : Files.readAllLines(assign, StandardCharsets.ISO_8859_1)) {
            n++;
            if (line.equals(".")) {
                ended = true;
                break;
            }
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.substring(1).split(":", -1);
            if ((line.charAt(0) != '=' && line.charAt(0) != '+') || f.length != 8 || !f[7].isEmpty()) {
                throw new IOException(assign + " line " + n + ": not =local:user:uid:gid:home:dash:ext:");
            }
            try {
                Integer.parseInt(f[2]);
                Integer.parseInt(f[3]);
            } catch (NumberFormatException e) {
                throw new IOException(assign + " line " + n + ": uid and gid must be numbers");
            }
            String key = f[0].toLowerCase(Locale.ROOT);
            String value = f[1] + "\0" + f[2] + "\0" + f[3] + "\0" + f[4] + "\0" + f[5] + "\0" + f[6] + "\0";
            if (line.charAt(0) == '=') {
                w.add(bytes("!" + key + "\0"), bytes(value));
            } else {
                w.add(bytes("!" + key), bytes(value));
                if (!key.isEmpty()) {
                    lastChars.add(key.charAt(key.length() - 1));
                }
            }
        }
        if (!ended) {
            throw new IOException(assign + ": no final line with a single dot");
        }
        StringBuilder chars = new StringBuilder();
        lastChars.forEach(chars::append);
        w.add(new byte[0], bytes(chars.toString()));
        w.install(cdb, cdb.resolveSibling(cdb.getFileName() + ".tmp"));
    }

    /** qmail-lspawn's lookup in users/cdb; null when no line covers {@code local}. */
    public static LocalUser lookup(Cdb cdb, String local) throws IOException {
        String l = local.toLowerCase(Locale.ROOT);
        byte[] v = cdb.get(bytes("!" + l + "\0"));
        if (v != null) {
            return user(v, "");
        }
        byte[] last = cdb.get(new byte[0]);
        String chars = last == null ? "" : new String(last, StandardCharsets.ISO_8859_1);
        for (int i = l.length(); i > 0; i--) {
            if (chars.indexOf(l.charAt(i - 1)) < 0) {
                continue;
            }
            v = cdb.get(bytes("!" + l.substring(0, i)));
            if (v != null) {
                return user(v, local.substring(i));
            }
        }
        v = cdb.get(bytes("!"));
        return v == null ? null : user(v, local);
    }

    private static LocalUser user(byte[] value, String rest) throws IOException {
        String[] f = new String(value, StandardCharsets.ISO_8859_1).split("\0", -1);
        if (f.length < 6) {
            throw new IOException("users/cdb: malformed entry");
        }
        try {
            return new LocalUser(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Path.of(f[3]), f[4], f[5] + rest);
        } catch (NumberFormatException e) {
            throw new IOException("users/cdb: malformed ids");
        }
    }

    /** users/cdb when newu built one; null when there is no index. */
    public static Cdb open(Path cdb) throws IOException {
        try {
            return Cdb.open(cdb);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
