package jqmail.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Who is who in a home: the mode chosen at setup and, for each role of
 * DESIGN §2, the account that plays it. {@code jqmail setup} writes it to
 * {@code users/ids}:
 *
 * <pre>
 * mode system                (or: mode user)
 * ROLE:NAME:UID:GID          one line per role
 * </pre>
 *
 * In a user-mode home every role is the home's owner. Programs use it to
 * tell their peers apart (the queue daemon's Received line, the cleaning
 * socket's only client), never to decide their own identity.
 */
public final class Identities {
    /** The roles of DESIGN §2 and the default account name of each. */
    public enum Role {
        SMTPD("jqmaild"),
        QUEUE("jqmailq"),
        SEND("jqmails"),
        REMOTE("jqmailr"),
        AUTH("jqmailp"),
        LOG("jqmaill"),
        VMAIL("jqmailv"),
        ALIAS("jqalias");

        private final String defaultName;

        Role(String defaultName) {
            this.defaultName = defaultName;
        }

        public String defaultName() {
            return defaultName;
        }

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One account: its name and numeric ids. */
    public record Account(String name, int uid, int gid) {
    }

    public static final String GROUP = "jqmail";

    private final boolean system;
    private final Map<Role, Account> accounts;

    public Identities(boolean system, Map<Role, Account> accounts) {
        this.system = system;
        this.accounts = new EnumMap<>(accounts);
        for (Role r : Role.values()) {
            if (!this.accounts.containsKey(r)) {
                throw new IllegalArgumentException("no account for role " + r.key());
            }
        }
    }

    /** Every role played by one account: a user-mode home. */
    public static Identities userMode(Account owner) {
        Map<Role, Account> m = new EnumMap<>(Role.class);
        for (Role r : Role.values()) {
            m.put(r, owner);
        }
        return new Identities(false, m);
    }

    public boolean isSystem() {
        return system;
    }

    public Account account(Role role) {
        return accounts.get(role);
    }

    public int uid(Role role) {
        return accounts.get(role).uid();
    }

    /** The role an account plays, or null; in a user-mode home there is no telling. */
    public Role roleOf(int uid) {
        if (!system) {
            return null;
        }
        for (Map.Entry<Role, Account> e : accounts.entrySet()) {
            if (e.getValue().uid() == uid) {
                return e.getKey();
            }
        }
        return null;
    }

    /** True when the uid is one of this home's own accounts. */
    public boolean isOwn(int uid) {
        for (Account a : accounts.values()) {
            if (a.uid() == uid) {
                return true;
            }
        }
        return false;
    }

    public static Path file(Home home) {
        return home.users().resolve("ids");
    }

    public String format() {
        StringBuilder b = new StringBuilder("# written by jqmail setup: the accounts of DESIGN §2\n");
        b.append("mode ").append(system ? "system" : "user").append('\n');
        for (Role r : Role.values()) {
            Account a = accounts.get(r);
            b.append(r.key()).append(':').append(a.name()).append(':').append(a.uid()).append(':')
                .append(a.gid()).append('\n');
        }
        return b.toString();
    }

    /**
     * Reads the home's identities and, in a system home, checks that this
     * process runs as {@code role}'s account (root when {@code role} is
     * null): real, effective, saved and file-system uid and gid alike. A
     * daemon started as anyone else refuses to run (DESIGN §2).
     */
    public static Identities readAs(Home home, Role role) throws IOException {
        Identities ids = read(home);
        if (ids.system) {
            String name = role == null ? "root" : ids.account(role).name();
            long uid = role == null ? 0 : ids.uid(role);
            long gid = role == null ? 0 : ids.account(role).gid();
            List<String> status = Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII);
            if (!all(status, "Uid:", uid) || !all(status, "Gid:", gid)) {
                throw new IOException("running with uids " + ids(status, "Uid:") + " and gids " + ids(status, "Gid:")
                    + ", not as " + name + " (uid " + uid + ", gid " + gid + "), the only account it may run as"
                    + " in a system home");
            }
        }
        return ids;
    }

    /** Whether the four ids of a /proc status line (real, effective, saved, file system) are all {@code id}. */
    private static boolean all(List<String> status, String key, long id) {
        String[] f = ids(status, key).split(",");
        for (String v : f) {
            if (!v.equals(Long.toString(id))) {
                return false;
            }
        }
        return f.length == 4;
    }

    private static String ids(List<String> status, String key) {
        for (String l : status) {
            if (l.startsWith(key)) {
                return String.join(",", l.substring(key.length()).trim().split("\\s+"));
            }
        }
        return "?";
    }

    public static Identities read(Home home) throws IOException {
        Path p = file(home);
        List<String> lines;
        try {
            lines = Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException("no " + p + ": is this a jqmail home? (jqmail setup makes one)");
        }
        Boolean system = null;
        Map<Role, Account> m = new EnumMap<>(Role.class);
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("mode ")) {
                String mode = line.substring(5).strip();
                if (!mode.equals("system") && !mode.equals("user")) {
                    throw new IOException(p + ": unknown mode " + mode);
                }
                system = mode.equals("system");
                continue;
            }
            String[] f = line.split(":", -1);
            if (f.length != 4) {
                throw new IOException(p + ": malformed line: " + line);
            }
            try {
                Role r = Role.valueOf(f[0].toUpperCase(java.util.Locale.ROOT));
                m.put(r, new Account(f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3])));
            } catch (IllegalArgumentException e) {
                throw new IOException(p + ": malformed line: " + line);
            }
        }
        if (system == null) {
            throw new IOException(p + ": no mode line");
        }
        try {
            return new Identities(system, m);
        } catch (IllegalArgumentException e) {
            throw new IOException(p + ": " + e.getMessage());
        }
    }
}
