package jqmail.scripts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jqmail.common.Home;
import jqmail.common.Identities;

/**
 * The service files of {@code jqmail service}. Under either manager the
 * supervisor runs in the foreground ({@code jqmail start --foreground}):
 * the manager restarts it, and with it every daemon, when one dies; in a
 * system home the supervisor is root and drops each daemon to its account
 * (see Privileges), so the unit confines the whole tree from outside:
 * no_new_privs, a read-only /usr, /boot and /etc, a private /tmp, only
 * the address families mail needs and only the capabilities the
 * supervisor and qmail-lspawn use to change to the accounts. /home stays
 * writable: system users' Maildirs live there.
 */
final class ServiceFiles {
    private ServiceFiles() {
    }

    static String systemdUnit(Home h, String jqmail, String java) {
        return "[Unit]\n"
            + "Description=jqmail mail transfer agent (" + h.root() + ")\n"
            + "After=network-online.target\n"
            + "Wants=network-online.target\n"
            + "\n"
            + "[Service]\n"
            + "Type=simple\n"
            + "Environment=JQMAIL_JAVA=" + java + "\n"
            + "ExecStart=" + jqmail + " start --home " + h.root() + " --foreground\n"
            + "KillMode=mixed\n"
            + "TimeoutStopSec=30\n"
            + "Restart=on-failure\n"
            + "RestartSec=2\n"
            + "NoNewPrivileges=yes\n"
            + "PrivateTmp=yes\n"
            + "ProtectSystem=full\n"
            + "ProtectHome=no\n"
            + "ProtectKernelTunables=yes\n"
            + "ProtectKernelModules=yes\n"
            + "ProtectControlGroups=yes\n"
            + "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6\n"
            + "RestrictRealtime=yes\n"
            + "LockPersonality=yes\n"
            + "CapabilityBoundingSet=CAP_SETUID CAP_SETGID CAP_SETPCAP CAP_NET_BIND_SERVICE CAP_CHOWN CAP_FOWNER"
            + " CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_KILL\n"
            + "\n"
            + "[Install]\n"
            + "WantedBy=multi-user.target\n";
    }

    /**
     * A service directory for svscan: {@code run} starts the supervisor in
     * the foreground with a cleared environment; {@code log/run} runs
     * multilog into {@code log/main}, as the logger's account in a system home.
     */
    static void daemontools(Path dir, Home h, Identities ids, String jqmail, String java) throws IOException {
        Files.createDirectories(dir.resolve("log/main"));
        Setup.writeAtomically(dir.resolve("run"), "#!/bin/sh\nexec 2>&1\n"
            + "exec env - PATH=/usr/bin:/bin JQMAIL_JAVA=" + Setup.quote(java) + " " + Setup.quote(jqmail)
            + " start --home " + Setup.quote(h.root().toString()) + " --foreground\n", 0755);
        Identities.Account log = ids.account(Identities.Role.LOG);
        String as = ids.isSystem() ? "setuidgid " + log.name() + " " : "";
        Setup.writeAtomically(dir.resolve("log/run"), "#!/bin/sh\nexec " + as + "multilog t ./main\n", 0755);
        if (ids.isSystem()) {
            Files.setAttribute(dir.resolve("log/main"), "unix:uid", log.uid());
            Files.setAttribute(dir.resolve("log/main"), "unix:gid", log.gid());
        }
    }
}
