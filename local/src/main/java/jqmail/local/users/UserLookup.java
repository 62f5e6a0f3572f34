package jqmail.local.users;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import jqmail.common.Home;
import jqmail.common.Identities;
import jqmail.common.cdb.Cdb;

/**
 * Finds the account of a local address as qmail-lspawn does: users/cdb
 * (built from users/assign by {@code jqmail newu}) first; then the passwd
 * file, by qmail-getpw's rule (the longest prefix ending at a dash that is
 * an account with uid other than 0, a lower-case name under 32 bytes); then
 * the alias user, with the whole local part as extension. A snapshot:
 * {@link #reloadIfChanged()} picks up a new index or passwd file.
 */
public final class UserLookup {
    private final Home home;
    private final Identities ids;
    private final Path passwdFile;
    private final Cdb users;
    private final Map<String, String[]> passwd = new HashMap<>();
    private final long stamp;

    private UserLookup(Home home, Identities ids, Path passwdFile) throws IOException {
        this.home = home;
        this.ids = ids;
        this.passwdFile = passwdFile;
        this.stamp = stamp(home, passwdFile);
        this.users = Assign.open(home.users().resolve("cdb"));
        if (Files.exists(passwdFile)) {
            for (String line : Files.readAllLines(passwdFile, StandardCharsets.ISO_8859_1)) {
                String[] f = line.split(":", -1);
                if (f.length >= 7 && !f[2].equals("0") && !f[0].isEmpty() && f[0].length() < 32
                    && f[0].equals(f[0].toLowerCase(Locale.ROOT))) {
                    passwd.put(f[0], f);
                }
            }
        }
    }

    public static UserLookup load(Home home, Identities ids) throws IOException {
        return new UserLookup(home, ids, Path.of("/etc/passwd"));
    }

    public UserLookup reloadIfChanged() throws IOException {
        return stamp(home, passwdFile) == stamp ? this : new UserLookup(home, ids, passwdFile);
    }

    private static long stamp(Home home, Path passwd) {
        long s = 0;
        for (Path p : new Path[] {home.users().resolve("cdb"), passwd}) {
            try {
                s = s * 31 + Files.getLastModifiedTime(p).toMillis() + Files.size(p);
            } catch (IOException e) {
                s = s * 31 + 7;
            }
        }
        return s;
    }

    /** The account for {@code local} (the part before the @); never null: the alias user takes the rest. */
    public LocalUser find(String local) throws IOException {
        if (users != null) {
            LocalUser u = Assign.lookup(users, local);
            if (u != null) {
                return u;
            }
        }
        String l = local.toLowerCase(Locale.ROOT);
        for (int end = l.length(); end > 0; end = l.lastIndexOf('-', end - 1)) {
            String[] pw = passwd.get(l.substring(0, end));
            if (pw != null) {
                boolean whole = end == l.length();
                return new LocalUser(pw[0], Integer.parseInt(pw[2]), Integer.parseInt(pw[3]), Path.of(pw[5]),
                    whole ? "" : "-", whole ? "" : local.substring(end + 1));
            }
            if (end == 0) {
                break;
            }
        }
        Identities.Account alias = ids.account(Identities.Role.ALIAS);
        return new LocalUser(alias.name(), alias.uid(), alias.gid(), home.alias(), "-", local);
    }
}
