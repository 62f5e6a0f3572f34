package jqmail.scripts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jqmail.common.Home;
import jqmail.common.Identities;

/**
 * How the supervisor starts a daemon of a system home (DESIGN §9): as root,
 * through util-linux's {@code setpriv}, which sets the daemon's uid, gid
 * and groups, drops every capability (tcpserver keeps only
 * CAP_NET_BIND_SERVICE, as an ambient capability, to bind port 25), sets
 * no_new_privs and clears the environment, all before the JVM starts. The
 * JVM is the one recorded at setup ({@code users/java}), not whatever the
 * caller's environment names. qmail-lspawn stays root (it must start each
 * user's worker under that user's uid) with the same cleared environment
 * and a capability bounding set of only what that takes.
 * In a user-mode home a daemon runs as the supervisor does, unchanged.
 */
final class Privileges {
    static final String SETPRIV = "/usr/bin/setpriv";
    /**
     * What qmail-lspawn keeps of root: becoming a user (SETUID, SETGID,
     * SETPCAP for setpriv's capability changes), making each worker's socket
     * directory that user's (CHOWN, FOWNER), opening queue files
     * (DAC_OVERRIDE, DAC_READ_SEARCH) and stopping workers (KILL). No
     * module loading, mounting, tracing, raw sockets or the like.
     */
    static final String ROOT_SPAWNER_CAPS = "--bounding-set=-all,+setuid,+setgid,+setpcap,+chown,+fowner,"
        + "+dac_override,+dac_read_search,+kill";
    /** users/java: the java of the JDK a system home runs on, written by setup. */
    static final String JAVA_FILE = "java";

    private Privileges() {
    }

    static List<String> command(Home home, Identities ids, Path dist, Daemons.Spec s) throws IOException {
        List<String> c = new ArrayList<>();
        if (ids.isSystem()) {
            c.add(SETPRIV);
            Identities.Role role = s.role();
            if (role == null) {
                c.add(ROOT_SPAWNER_CAPS);
            } else {
                Identities.Account a = ids.account(role);
                c.addAll(List.of("--reuid=" + a.uid(), "--regid=" + a.gid(), "--init-groups"));
                c.addAll(role == Identities.Role.SMTPD
                    ? List.of("--inh-caps=-all,+net_bind_service", "--ambient-caps=+net_bind_service")
                    : List.of("--inh-caps=-all"));
            }
            c.addAll(List.of("--no-new-privs", "--reset-env", "--", "/usr/bin/env",
                "JQMAIL_JAVA=" + java(home), Home.ENV + "=" + home.root()));
        }
        c.addAll(s.command(dist));
        return c;
    }

    /** The JVM recorded at setup; the running one when the home predates the record. */
    static String java(Home home) throws IOException {
        try {
            String j = Files.readString(home.users().resolve(JAVA_FILE), StandardCharsets.UTF_8).strip();
            if (!j.isEmpty()) {
                return j;
            }
        } catch (NoSuchFileException e) {
            // An older home: the JVM this supervisor runs on.
        }
        return running();
    }

    static String running() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
