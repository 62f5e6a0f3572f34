package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jqmail.common.Home;
import jqmail.common.Identities;
import jqmail.common.Identities.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A system home for real (root only, as in CI): DESIGN §2's trust partition
 * proven on the running daemons. Mail over SMTP reaches a system user's
 * ~/Maildir as a file of that user; a |program line runs with the user's
 * uid and primary gid only; each daemon runs under its own account, and
 * with exactly its credentials the SMTP daemon cannot create a file in the
 * queue outside maildrop/ nor read the user's Maildir, the remote deliverer
 * cannot create one in the queue outside maildrop/, and no daemon but root's
 * reads the password file, and only the SMTP daemon reads the TLS key; the
 * logs are written by the logger's account.
 * It makes accounts of its own names (setup's --account and --group).
 * Everything it made is removed again, through
 * {@code jqmail setup --system --remove}.
 */
class SystemIT {
    private static final String USER = "jqtestuser";
    /** A user with no .qmail, whose mail goes to the system spool (control/defaultdelivery is spool here). */
    private static final String SPOOL_USER = "jqtestspool";
    private static final String GROUP = "jqtqueue";

    /** This test's name for a role's account: jqt-smtpd, jqt-queue ... */
    private static String account(Role r) {
        return "jqt-" + r.key();
    }

    @TempDir
    Path dir;

    @Test
    void eachDaemonRunsAsItsOwnAccountAndReachesOnlyItsPart() throws Exception {
        assumeTrue(Files.readString(Path.of("/proc/self/status")).contains("\nUid:\t0\t"), "a system home needs root");
        try (AutoCloseable accounts = AccountsLock.lock()) {
            systemHome();
        }
    }

    private void systemHome() throws Exception {
        // Accounts of its own (setup --account/--group), so a jqmail installed on this machine is never touched.
        List<String> setupArgs = new ArrayList<>(List.of("setup", "--home", dir.resolve("sys").toString(),
            "--system", "--me", "sys.test", "--group", GROUP));
        for (Role r : Role.values()) {
            assumeTrue(SetupIT.run("id", account(r)) != 0, "account " + account(r) + " exists already");
            setupArgs.addAll(List.of("--account", r.key() + "=" + account(r)));
        }
        // The daemons' accounts must be able to pass through the test's directory (JUnit makes it 0700).
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path userHome = dir.resolve("user");
        Path h = dir.resolve("sys");
        int port = SmtpHome.freePort();
        String found = account(Role.LOG);
        assertEquals(0, SetupIT.run("useradd", "--create-home", "--home-dir", userHome.toString(), USER));
        assumeTrue(SetupIT.run("id", SPOOL_USER) != 0 && !Files.exists(Path.of("/var/mail", SPOOL_USER)),
            SPOOL_USER + " exists already");
        assertEquals(0, SetupIT.run("useradd", "--create-home", "--home-dir", dir.resolve("spool").toString(),
            SPOOL_USER));
        try {
            // An account that is there before setup (an administrator's) is used, and not deleted by --remove.
            assertEquals(0, SetupIT.run("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                found));
            // As maildirmake makes it: the user's alone.
            as(USER, "umask 077 && mkdir -p Maildir/new Maildir/cur Maildir/tmp && echo '|id > id.out' > .qmail-id"
                + " && echo ./Maildir/ > .qmail");
            Dist.Result setup = Dist.run(null, "jqmail", setupArgs.toArray(new String[0]));
            assertEquals(0, setup.code(), setup.stderr());
            Files.writeString(h.resolve("control/defaultdelivery"), "spool\n");
            Path password = dir.resolve("password");
            Files.writeString(password, "s3cret\n");
            assertEquals(0, Dist.run(null, "jqmail", "user", "add", "--home", h.toString(), "--password-file",
                password.toString(), "vuser").code());
            int submission = SmtpHome.freePort();
            int pop3 = SmtpHome.freePort();
            Dist.Result start = Dist.run(null, "jqmail", "start", "--home", h.toString(), "--smtp", "127.0.0.1:" + port,
                "--submission", "127.0.0.1:" + submission, "--pop3", "127.0.0.1:" + pop3);
            assertEquals(0, start.code(), start.stdout() + start.stderr());
            try {
                Identities ids = Identities.read(new Home(h));
                deliversAsTheUser(port, userHome);
                deliversToTheSystemSpool(port, h);
                logsInThroughTheAuthService(submission, pop3, ids);
                everyDaemonHasItsOwnCredentials(h, ids);
                credentialsReachOnlyTheirPart(h, ids, userHome);
                aLinkPlantedInTheQueueIsNotFollowed(h, port, userHome);
            } finally {
                assertEquals(0, Dist.run(null, "jqmail", "stop", "--home", h.toString()).code());
            }
            clearWhatTheTestLeft(h);
            List<String> created = Files.readAllLines(h.resolve("users/created"));
            assertTrue(created.contains("user " + account(Role.SMTPD)) && created.contains("group " + GROUP)
                && !created.contains("user " + found), "setup records what it made, not what it found: " + created);
            Dist.Result remove = Dist.run(null, "jqmail", "setup", "--home", h.toString(), "--system", "--remove");
            assertEquals(0, remove.code(), remove.stderr());
            assertFalse(Files.exists(h), "the home is gone");
            for (Role r : Role.values()) {
                if (r == Role.LOG) {
                    assertEquals(0, SetupIT.run("id", found), found + " was there before setup, and stays");
                } else {
                    assertNotEquals(0, SetupIT.run("id", account(r)), account(r) + " is gone");
                }
            }
            assertNotEquals(0, SetupIT.run("getent", "group", GROUP), "the queue's group is gone");
        } finally {
            SetupIT.run("userdel", "--remove", USER);
            SetupIT.run("userdel", "--remove", SPOOL_USER);
            Files.deleteIfExists(Path.of("/var/mail", SPOOL_USER));
            for (Role r : Role.values()) {   // only if the test failed before --remove
                SetupIT.run("userdel", account(r));
                SetupIT.run("groupdel", account(r));
            }
            SetupIT.run("groupdel", GROUP);
        }
    }

    /** SMTP to the user and to its |program extension: the file is the user's, the program ran as the user. */
    private void deliversAsTheUser(int port, Path userHome) throws Exception {
        try (SmtpClient c = new SmtpClient(port)) {
            c.sendMessage("client.example", "someone@client.example", List.of(USER + "@sys.test", USER + "-id@sys.test"),
                "Subject: system home", "", "to the user's own Maildir");
        }
        Path fresh = userHome.resolve("Maildir/new");
        Path idOut = userHome.resolve("id.out");
        for (int i = 0; i < 300 && (TestHome.entries(fresh) == 0 || !Files.exists(idOut) || Files.size(idOut) == 0); i++) {
            Thread.sleep(100);
        }
        assertEquals(1, TestHome.entries(fresh), "one message in ~/Maildir/new");
        int uid = Integer.parseInt(SetupIT.output("id", "-u", USER).strip());
        int gid = Integer.parseInt(SetupIT.output("id", "-g", USER).strip());
        try (Stream<Path> s = Files.list(fresh)) {
            Path m = s.findFirst().orElseThrow();
            assertEquals(uid, Files.getAttribute(m, "unix:uid"), "the delivered file belongs to the user");
            assertTrue(Files.readString(m).contains("to the user's own Maildir"));
        }
        String id = Files.readString(idOut).strip();
        assertEquals("uid=" + uid + "(" + USER + ") gid=" + gid + "(" + USER + ") groups=" + gid + "(" + USER + ")", id,
            "a |program line runs with the user's uid and primary gid only");
    }

    /**
     * defaultdelivery spool: /var/mail/USER as Debian's mail readers expect
     * it (the user's, group mail, 0660, an mbox that mail -f reads), written
     * by qmail-lspawn when the user's worker reaches the spool line: no
     * process of the user's uid holds group mail.
     */
    private void deliversToTheSystemSpool(int port, Path h) throws Exception {
        try (SmtpClient c = new SmtpClient(port)) {
            c.sendMessage("client.example", "someone@client.example", List.of(SPOOL_USER + "@sys.test"),
                "Subject: to the spool", "", "read me with mail -f", "From here on, a quoted line");
        }
        Path spool = Path.of("/var/mail", SPOOL_USER);
        for (int i = 0; i < 300 && (!Files.exists(spool) || !Files.readString(spool).contains("quoted line")); i++) {
            Thread.sleep(100);
        }
        String mbox = Files.readString(spool, StandardCharsets.ISO_8859_1);
        assertTrue(mbox.startsWith("From someone@client.example ") && mbox.contains("\nDelivered-To: " + SPOOL_USER
            + "@sys.test\n") && mbox.contains("\n>From here on, a quoted line\n"), mbox);
        int uid = Integer.parseInt(SetupIT.output("id", "-u", SPOOL_USER).strip());
        int mailGid = (Integer) Files.getAttribute(Path.of("/var/mail"), "unix:gid");
        assertEquals(uid, Files.getAttribute(spool, "unix:uid"), "the spool file is the user's");
        assertEquals(mailGid, Files.getAttribute(spool, "unix:gid"), "in the spool's group");
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(spool)));
        String read = SetupIT.output("su", "-s", "/bin/sh", "-c", "printf 'p\\nq\\n' | mail -N -f " + spool, SPOOL_USER);
        assertTrue(read.contains("Subject: to the spool") && read.contains("read me with mail -f"), read);
        List<Credentials> workers = Credentials.ofProgram("qmail-local");
        assertTrue(workers.stream().anyMatch(w -> w.uids.equals(List.of(uid, uid, uid, uid))),
            "the spool user's worker read its (missing) .qmail and .forward as the user: " + workers);
        for (Credentials w : workers) {
            assertEquals(List.of(), w.groups, "no worker of a user's uid holds group mail or any other: " + w);
        }
    }

    /**
     * SMTP AUTH on the submission port (tcpserver as jqmaild asks authd, the
     * only reader of users/passwd), and POP3 logins whose qmail-pop3d runs
     * as the mailbox's account, not as root and not as the front's: a
     * virtual user's (the virtual-mail account) and a system user's, whose
     * password is in /etc/shadow.
     */
    private void logsInThroughTheAuthService(int submission, int pop3, Identities ids) throws Exception {
        assertEquals(0, SetupIT.run("sh", "-c", "echo " + USER + ":userpw | chpasswd"));
        Path py = dir.resolve("login.py");
        Files.writeString(py, """
            import poplib, smtplib, ssl, subprocess
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            with smtplib.SMTP('127.0.0.1', %d) as s:
                s.starttls(context=ctx)
                s.login('vuser', 's3cret')
            p = poplib.POP3('127.0.0.1', %d)
            p.user('vuser@sys.test')
            p.pass_('s3cret')
            assert p.stat()[0] == 0
            subprocess.check_call(['pgrep', '-u', '%s', '-f', 'qmail-pop3d'])
            p.quit()
            p = poplib.POP3('127.0.0.1', %d)
            p.user('%s')
            p.pass_('userpw')
            assert p.stat()[0] == 1, 'the message delivered to ~/Maildir'
            subprocess.check_call(['pgrep', '-u', '%s', '-f', 'qmail-pop3d'])
            p.quit()
            """.formatted(submission, pop3, ids.account(Role.VMAIL).name(), pop3, USER, USER));
        Path out = dir.resolve("login.out");
        assertEquals(0, SmtpInteropIT.run(List.of("python3", py.toString()), out), Files.readString(out));
    }

    private static void everyDaemonHasItsOwnCredentials(Path h, Identities ids) throws Exception {
        Map<String, Role> roles = Map.of("qmail-queued", Role.QUEUE, "qmail-send", Role.SEND,
            "qmail-rspawn", Role.REMOTE, "tcpserver", Role.SMTPD, "authd", Role.AUTH, "tcpserver-pop3", Role.SMTPD);
        for (Map.Entry<String, Role> e : roles.entrySet()) {
            Credentials c = Credentials.of(h, e.getKey());
            Identities.Account a = ids.account(e.getValue());
            assertEquals(List.of(a.uid(), a.uid(), a.uid(), a.uid()), c.uids, e.getKey() + " uids");
            assertEquals(List.of(a.gid(), a.gid(), a.gid(), a.gid()), c.gids, e.getKey() + " gids");
            // The auth service alone is also in shadow (DESIGN §2), to check system passwords.
            List<Integer> groups = new ArrayList<>(List.of(a.gid()));
            if (e.getValue() == Role.AUTH) {
                groups.add(Integer.parseInt(SetupIT.output("getent", "group", "shadow").split(":")[2]));
                groups.sort(null);
            }
            assertEquals(groups, c.groups, e.getKey() + ": no supplementary group beyond its own");
            assertEquals(1, c.noNewPrivs, e.getKey() + " no_new_privs");
            long caps = e.getValue() == Role.SMTPD ? 1L << 10 : 0;   // CAP_NET_BIND_SERVICE, to bind port 25
            assertEquals(caps, c.effectiveCaps, e.getKey() + " capabilities");
            assertEquals(caps, c.ambientCaps, e.getKey() + " ambient capabilities");
        }
        Credentials lspawn = Credentials.of(h, "qmail-lspawn");
        assertEquals(List.of(0, 0, 0, 0), lspawn.uids, "qmail-lspawn is the root spawner");
        // chown, dac_override, dac_read_search, fowner, kill, setgid, setuid, setpcap: what spawning workers takes
        assertEquals(0x1efL, lspawn.effectiveCaps, "qmail-lspawn keeps only the capabilities it uses");
        int logger = ids.uid(Role.LOG);
        List<String> running = new ArrayList<>(List.of(Daemons.SUPERVISOR));
        Daemons.all(new Home(h)).forEach(s -> running.add(s.name()));
        for (String d : running) {
            Path current = h.resolve("log").resolve(d).resolve("current");
            assertEquals(logger, Files.getAttribute(current, "unix:uid"), current + " is written by the logger's account");
        }
    }

    private static void credentialsReachOnlyTheirPart(Path h, Identities ids, Path userHome) throws Exception {
        Credentials smtpd = Credentials.of(h, "tcpserver");
        Credentials remote = Credentials.of(h, "qmail-rspawn");
        for (Layout.Entry e : Layout.entries()) {
            if (e.kind() != Layout.Kind.DIR || !e.path().startsWith("queue")) {
                continue;
            }
            boolean maildrop = e.path().equals("queue/maildrop");
            for (Credentials c : List.of(smtpd, remote)) {
                Path planted = h.resolve(e.path()).resolve("planted-by-" + c.name);
                assertEquals(maildrop, c.run("touch " + planted) == 0,
                    c.name + (maildrop ? " may " : " must not ") + "create a file in " + e.path());
            }
        }
        assertNotEquals(0, smtpd.run("ls " + userHome.resolve("Maildir/new")), "tcpserver cannot read ~/Maildir");
        for (String d : new String[] {"qmail-queued", "qmail-send", "qmail-rspawn", "tcpserver"}) {
            Credentials c = Credentials.of(h, d);
            assertNotEquals(0, c.run("cat " + h.resolve("users/passwd")), d + " cannot read the password file");
        }
        assertTrue(Files.readString(h.resolve("users/passwd")).startsWith("vuser:"), "the password file is there");
        Path key = h.resolve("control/servercert.pem");
        assertEquals(ids.uid(Role.SMTPD), Files.getAttribute(key, "unix:uid"), "the TLS key is the SMTP daemon's");
        assertEquals(0, smtpd.run("grep -q 'BEGIN PRIVATE KEY' " + key), "tcpserver reads its key");
        for (String d : new String[] {"qmail-queued", "qmail-send", "qmail-rspawn"}) {
            assertNotEquals(0, Credentials.of(h, d).run("cat " + key), d + " cannot read the TLS key");
        }
    }

    /**
     * Whoever owns the queue (jqmailq) replaces a queued message with a link
     * to a file only root may read: the root spawner opens messages without
     * following links, so the delivery is deferred and the file's content
     * never reaches the user.
     */
    private void aLinkPlantedInTheQueueIsNotFollowed(Path h, int port, Path userHome) throws Exception {
        Path secret = dir.resolve("root-only");
        Files.writeString(secret, "Subject: stolen\n\nTOP SECRET\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(h.resolve("control/concurrencylocal"), "0\n");
        TestHome.reread(new Home(h), "qmail-send");
        Path log = h.resolve("log/qmail-send/current");
        long known = Files.readString(log).lines().filter(l -> l.contains(" new msg ")).count();
        try (SmtpClient c = new SmtpClient(port)) {
            c.sendMessage("client.example", "someone@client.example", List.of(USER + "@sys.test"),
                "Subject: to be swapped", "", "the real message");
        }
        for (int i = 0; i < 100 && Files.readString(log).lines().filter(l -> l.contains(" new msg ")).count() == known; i++) {
            Thread.sleep(100);   // the scheduler has read the envelope: now the file is only delivered from
        }
        Credentials queue = Credentials.of(h, "qmail-queued");
        Path queued = null;
        for (int i = 0; i < 50 && queued == null; i++) {
            // In todo/ or mess/N/: wherever the queue daemon has the message file at this moment.
            try (Stream<Path> t = Files.walk(h.resolve("queue/todo")); Stream<Path> m = Files.walk(h.resolve("queue/mess"))) {
                Path p = Stream.concat(t, m).filter(Files::isRegularFile).findFirst().orElse(null);
                if (p != null && queue.run("rm " + p + " && ln -s " + secret + " " + p) == 0) {
                    queued = p;
                }
            }
            Thread.sleep(100);
        }
        assertTrue(queued != null, "jqmailq may swap the files of its queue");
        Files.writeString(h.resolve("control/concurrencylocal"), "10\n");
        TestHome.reread(new Home(h), "qmail-send");
        for (int i = 0; i < 300 && !Files.readString(log).contains("Unable to open message"); i++) {
            Thread.sleep(100);
        }
        assertTrue(Files.readString(log).contains("Unable to open message"), "the link was refused:\n"
            + Files.readString(log));
        try (Stream<Path> s = Files.list(userHome.resolve("Maildir/new"))) {
            for (Path m : (Iterable<Path>) s::iterator) {
                assertFalse(Files.readString(m).contains("TOP SECRET"), "root's file reached the user");
            }
        }
        Files.delete(queued);   // what is left of the swapped message: --remove wants an empty queue
    }


    /**
     * The postmaster's Maildir may hold a notice and the maildrop what this
     * test planted there: --remove refuses a home with mail.
     */
    private static void clearWhatTheTestLeft(Path h) throws Exception {
        for (String d : new String[] {"alias/Maildir/new", "alias/Maildir/cur", "queue/maildrop"}) {
            try (Stream<Path> s = Files.list(h.resolve(d))) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void as(String user, String command) throws Exception {
        assertEquals(0, SetupIT.run("su", "-s", "/bin/sh", "-c", "cd && " + command, user));
    }

    /** A running daemon's credentials from /proc/PID/status, and a shell run with exactly them. */
    private static final class Credentials {
        final String name;
        String commandLine = "";
        final List<Integer> uids;
        final List<Integer> gids;
        final List<Integer> groups;
        final int noNewPrivs;
        final long effectiveCaps;
        final long ambientCaps;

        private Credentials(String name, String status) {
            this.name = name;
            this.uids = numbers(field(status, "Uid"));
            this.gids = numbers(field(status, "Gid"));
            this.groups = numbers(field(status, "Groups"));
            this.noNewPrivs = Integer.parseInt(field(status, "NoNewPrivs"));
            this.effectiveCaps = Long.parseLong(field(status, "CapEff"), 16);
            this.ambientCaps = Long.parseLong(field(status, "CapAmb"), 16);
        }

        /** Every running process of a dist program (its command line names the program), with its command line. */
        static List<Credentials> ofProgram(String program) throws Exception {
            List<Credentials> out = new ArrayList<>();
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path p : (Iterable<Path>) procs::iterator) {
                    if (!p.getFileName().toString().matches("[0-9]+")) {
                        continue;
                    }
                    try {
                        String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.ISO_8859_1)
                            .replace('\0', ' ');
                        if (cmd.startsWith(program + " ")) {   // the launcher's exec -a
                            Credentials c = new Credentials(program, Files.readString(p.resolve("status")));
                            c.commandLine = cmd;
                            out.add(c);
                        }
                    } catch (java.io.IOException gone) {
                        // exited meanwhile
                    }
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return commandLine + " uids " + uids + " groups " + groups;
        }

        static Credentials of(Path h, String daemon) throws Exception {
            String pid = Files.readString(h.resolve("run/pid/" + daemon + ".pid")).strip();
            return new Credentials(daemon, Files.readString(Path.of("/proc", pid, "status")));
        }

        /** Runs {@code command} in a shell with this daemon's uid, gid and groups and no capabilities. */
        int run(String command) throws Exception {
            List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + uids.get(1), "--regid=" + gids.get(1)));
            cmd.add(groups.isEmpty() ? "--clear-groups" : "--groups=" + String.join(",",
                groups.stream().map(String::valueOf).toList()));
            cmd.addAll(List.of("--inh-caps=-all", "--bounding-set=-all", "--", "/bin/sh", "-c", command));
            return SetupIT.run(cmd.toArray(new String[0]));
        }

        private static String field(String status, String key) {
            for (String l : status.split("\n")) {
                if (l.startsWith(key + ":")) {
                    return l.substring(key.length() + 1).strip();
                }
            }
            throw new AssertionError("no " + key + " in " + status);
        }

        private static List<Integer> numbers(String s) {
            List<Integer> out = new ArrayList<>();
            for (String w : s.split("\\s+")) {
                if (!w.isEmpty()) {
                    out.add(Integer.parseInt(w));
                }
            }
            return out;
        }
    }
}
