package jqmail.remote.rspawn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * control/relayauth: the name and password qmail-rspawn gives (AUTH PLAIN,
 * else LOGIN) to a relay named in control/smtproutes.
 *
 * <pre>
 * smarthost.example.net:alice:the password, colons and all
 * [192.0.2.1]:relayuser:s3cret
 * </pre>
 *
 * The relay is written as in smtproutes, without its port, and compared
 * without regard to case; the user name ends at the next colon; the
 * password is the rest of the line (UTF-8; trailing blanks are not kept).
 * Credentials are sent only over TLS or to a relay on loopback. Hosts
 * found through MX records never get them.
 *
 * <p>The file must be readable by its owner alone (in a system home that
 * owner is {@code jqmailr}): while group or others may read it,
 * qmail-rspawn refuses it — it does not start, and keeps its old settings
 * on SIGHUP — and says so in its log.
 */
final class RelayCredentials {
    static final String FILE = "relayauth";

    /** One relay's credentials. */
    record Login(String user, String password) {
        @Override
        public String toString() {
            return "Login[user=" + user + ", password=(hidden)]";
        }
    }

    static final RelayCredentials NONE = new RelayCredentials(Map.of());

    private final Map<String, Login> logins;

    private RelayCredentials(Map<String, Login> logins) {
        this.logins = logins;
    }

    static RelayCredentials read(jqmail.common.Control c) throws IOException {
        Path f = c.dir().resolve(FILE);
        if (!Files.exists(f)) {
            return NONE;
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(f);
        for (PosixFilePermission p : new PosixFilePermission[] {PosixFilePermission.GROUP_READ,
            PosixFilePermission.OTHERS_READ}) {
            if (mode.contains(p)) {
                throw new IOException("control/" + FILE + " holds passwords but others may read it: chmod 600 it");
            }
        }
        return parse(c.list("relayauth"));   // FILE
    }

    static RelayCredentials parse(List<String> lines) throws IOException {
        Map<String, Login> logins = new HashMap<>();
        for (String line : lines) {
            int hostEnd = line.startsWith("[") ? line.indexOf(']') + 1 : line.indexOf(':');
            if (hostEnd <= 0 || hostEnd >= line.length() || line.charAt(hostEnd) != ':') {
                throw bad(line);
            }
            int userEnd = line.indexOf(':', hostEnd + 1);
            if (userEnd < 0 || userEnd == hostEnd + 1 || userEnd == line.length() - 1) {
                throw bad(line);
            }
            logins.put(line.substring(0, hostEnd).toLowerCase(Locale.ROOT),
                new Login(utf8(line.substring(hostEnd + 1, userEnd)), utf8(line.substring(userEnd + 1))));
        }
        return new RelayCredentials(logins);
    }

    /** The login for a relay as smtproutes names it, or null. */
    Login forRelay(String relay) {
        return logins.get(relay.toLowerCase(Locale.ROOT));
    }

    /** Control files are read as bytes (ISO-8859-1); credentials are UTF-8. */
    private static String utf8(String latin1) {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    /** Never quotes the line: it holds a password. */
    private static IOException bad(String line) {
        int colon = line.indexOf(':');
        return new IOException("control/" + FILE + ": not relay:user:password, in the line for "
            + (colon > 0 ? line.substring(0, colon) : "(no relay)"));
    }
}
