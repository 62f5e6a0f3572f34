package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jqmail.common.Identities;
import jqmail.common.Identities.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package for real, on this machine (root only): scripts/package
 * builds it; every path of it that another package owns (Postfix's
 * sendmail, mailq, newaliases and their man pages here) is moved aside with
 * dpkg-divert in jqmail's name, so that dpkg installs ours and leaves
 * Postfix's where the diversion puts it; {@code dpkg -i --force-conflicts}
 * installs it beside Postfix (other tests use Postfix's tools, so it is not
 * removed; the conflict on mail-transport-agent is what apt would resolve by
 * removing it). postinst has made the system home /var/jqmail and its
 * accounts; {@code jqmail setup --system} runs again; the daemons start;
 * mail from cron's way of calling {@code /usr/sbin/sendmail} reaches root's
 * mailbox; {@code sendmail -t} queues mail that {@code /usr/bin/mailq}
 * lists; {@code /usr/bin/newaliases} compiles /etc/aliases; then
 * {@code dpkg --purge} leaves no file of the package, no home, no account:
 * /etc/passwd, group, shadow and gshadow are byte for byte what they were,
 * and once the diversions are gone, so are Postfix's files.
 * It refuses to run where a jqmail package, /var/jqmail or one of the
 * default accounts is there already, and whatever happens it leaves the
 * machine without the package, its accounts and the diversions.
 */
class PackageIT {
    private static final Path HOME = Path.of("/var/jqmail");
    private static final String DIVERTED = ".jqmail-test";
    private static final List<Path> ACCOUNT_FILES = List.of(Path.of("/etc/passwd"), Path.of("/etc/group"),
        Path.of("/etc/shadow"), Path.of("/etc/gshadow"));
    private static final Path ETC_ALIASES = Path.of("/etc/aliases");
    /** The machine's users of this test: root's mail goes to the first's /var/mail; the second has a ~/.forward. */
    private static final String ADMIN = "jqpkgadmin";
    private static final String PIPER = "jqpkgpiper";

    @TempDir
    Path dir;

    /** Paths moved aside by this test, to be put back. */
    private final List<String> diverted = new ArrayList<>();

    @Test
    void installsDeliversAndPurgesWithoutATrace() throws Exception {
        assumeTrue(Files.readString(Path.of("/proc/self/status")).contains("\nUid:\t0\t"), "dpkg -i needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg-deb")), "no dpkg-deb: not a Debian machine");
        try (AutoCloseable lock = AccountsLock.lock()) {
            installAndPurge();
        }
    }

    private void installAndPurge() throws Exception {
        refuseToClobber();
        Path deb = build();
        List<Entry> contents = contents(deb);
        Map<Path, byte[]> accounts = snapshot(ACCOUNT_FILES);
        String diversions = exec(null, "dpkg-divert", "--list").stdout();
        Map<Path, byte[]> theirs = new LinkedHashMap<>();
        byte[] aliases = Files.exists(ETC_ALIASES) ? Files.readAllBytes(ETC_ALIASES) : null;
        try {
            divertWhatOthersOwn(contents, theirs);
            Dist.Result install = exec(null, "dpkg", "-i", "--force-conflicts", deb.toString());
            assertEquals(0, install.code(), install.stdout() + install.stderr());

            installedWherePromised();
            for (String user : List.of(ADMIN, PIPER)) {
                assertEquals(0, exec(null, "useradd", "--create-home", user).code(), "useradd " + user);
            }
            // Debian's question, "root and postmaster mail recipient", answered with a login of this machine.
            Dist.Result setup = exec(null, "/usr/sbin/jqmail", "setup", "--system", "--root-mail", ADMIN);
            assertEquals(0, setup.code(), "setup --system again, on the package's home: " + setup.stderr());
            assertTrue(Files.readString(ETC_ALIASES).contains("\nroot: " + ADMIN + "\n"), "root's entry of /etc/aliases");
            Files.writeString(HOME.resolve("control/defaultdelivery"), "spool\n");   // /var/mail, as Debian's MTAs
            Files.writeString(HOME.resolve("control/smtproutes"), "remote.invalid:[127.0.0.1]:9\n");
            // Not a system home's 0:25, here and when postinst starts it again after the upgrade below.
            Files.writeString(HOME.resolve("control/smtplisten"), "127.0.0.1:" + SmtpHome.freePort() + "\n");
            Dist.Result start = exec(null, "/usr/sbin/jqmail", "start");
            assertEquals(0, start.code(), start.stdout() + start.stderr());
            try {
                deliversCronMailToRoot();
                aDotForwardPipesIntoAScriptAsItsUser();
                anAliasReachesItsThreeTargets();
                mailqListsWhatWaits();
                newaliasesCompilesTheSystemsAliases();
                upgradeStopsAndRestarts(deb);
            } finally {
                Dist.Result stop = exec(null, "/usr/sbin/jqmail", "stop");
                assertEquals(0, stop.code(), stop.stderr());
            }
            removeTheTestsUsers(aliases);

            Dist.Result purge = exec(null, "dpkg", "--purge", "jqmail");
            assertEquals(0, purge.code(), purge.stdout() + purge.stderr());
            assertFalse(installed(), "dpkg -l jqmail: not installed");
            purgeLeftNothing(contents);
            for (Map.Entry<Path, byte[]> e : accounts.entrySet()) {
                assertEquals(new String(e.getValue(), StandardCharsets.UTF_8), Files.readString(e.getKey()),
                    e.getKey() + " as it was: no jqmail account or group left");
            }
            undivert();
            for (Map.Entry<Path, byte[]> e : snapshot(theirs.keySet()).entrySet()) {
                assertTrue(Arrays.equals(theirs.get(e.getKey()), e.getValue()), e.getKey() + " is back, byte for byte");
            }
            assertEquals(diversions, exec(null, "dpkg-divert", "--list").stdout(), "the diversions as they were");
        } finally {
            putBack();
            removeTheTestsUsers(aliases);
        }
    }

    /** The users this test made, their spool files, and /etc/aliases as it was (setup and the test changed it). */
    private static void removeTheTestsUsers(byte[] aliases) throws Exception {
        for (String user : List.of(ADMIN, PIPER)) {
            exec(null, "userdel", "--remove", user);
            Files.deleteIfExists(Path.of("/var/mail", user));
            Files.deleteIfExists(Path.of("/var/mail", user + ".lock"));
        }
        if (aliases != null) {
            Files.write(ETC_ALIASES, aliases);
        } else {
            Files.deleteIfExists(ETC_ALIASES);
        }
    }

    /** A jqmail already on this machine is someone's: this test must not install over it, nor remove it after. */
    private void refuseToClobber() throws Exception {
        if (installed()) {
            fail("a jqmail package is installed; PackageIT would replace and purge it");
        }
        if (Files.exists(HOME, LinkOption.NOFOLLOW_LINKS)) {
            fail(HOME + " exists; PackageIT would set it up and purge it (move it away first)");
        }
        for (Role r : Role.values()) {
            if (exec(null, "getent", "passwd", r.defaultName()).code() == 0) {
                fail("user " + r.defaultName() + " exists; PackageIT would make it the package's and delete it");
            }
        }
        if (exec(null, "getent", "group", Identities.GROUP).code() == 0) {
            fail("group " + Identities.GROUP + " exists; PackageIT would delete it");
        }
        for (String user : List.of(ADMIN, PIPER)) {
            if (exec(null, "getent", "passwd", user).code() == 0 || Files.exists(Path.of("/var/mail", user))) {
                fail("user " + user + " or its /var/mail file exists; PackageIT would delete them");
            }
        }
    }

    private static Path build() throws Exception {
        Path script = Dist.dir().getParent().resolve("scripts/package");
        Dist.Result r = exec(null, script.toString(), "--no-build");
        assertEquals(0, r.code(), r.stderr());
        Path deb = Path.of(r.stdout().strip());
        assertTrue(deb.getFileName().toString().matches("jqmail_[0-9][0-9a-z.~+]*_all\\.deb"), deb.toString());
        return deb;
    }

    /** One path of the package: a directory, a file, or a link and its target. */
    record Entry(Path path, boolean directory, String link) {
    }

    static List<Entry> contents(Path deb) throws Exception {
        List<Entry> out = new ArrayList<>();
        for (String line : exec(null, "dpkg-deb", "-c", deb.toString()).stdout().split("\n")) {
            String[] f = line.split("\\s+", 6);
            String[] pathAndLink = f[5].split(" -> ", 2);
            Path p = Path.of(pathAndLink[0].substring(1));
            if (!p.toString().equals("/")) {
                out.add(new Entry(p, f[0].startsWith("d"), pathAndLink.length > 1 ? pathAndLink[1] : null));
            }
        }
        return out;
    }

    /**
     * dpkg-divert in the package's own name: every other package's copy of
     * a path goes to PATH.jqmail-test, jqmail's goes to PATH. A path that is
     * there and is no package's would simply be overwritten: refused.
     */
    private void divertWhatOthersOwn(List<Entry> contents, Map<Path, byte[]> theirs) throws Exception {
        for (Entry e : contents) {
            if (e.directory() || !Files.exists(e.path(), LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Dist.Result owner = exec(null, "dpkg", "-S", e.path().toString());
            assertEquals(0, owner.code(), e.path() + " exists and no package owns it: PackageIT would overwrite it");
            theirs.putAll(snapshot(List.of(e.path())));
            String p = e.path().toString();
            Dist.Result d = exec(null, "dpkg-divert", "--package", "jqmail", "--add", "--rename", "--divert", p + DIVERTED, p);
            assertEquals(0, d.code(), d.stdout() + d.stderr());
            diverted.add(p);
        }
    }

    private static void installedWherePromised() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/lib/jqmail/bin/jqmail")));
        assertTrue(Files.isRegularFile(Path.of("/usr/lib/jqmail/lib/scripts.jar")));
        Path launch = Path.of("/usr/lib/jqmail/lib/launch");
        for (String link : List.of("/usr/sbin/sendmail", "/usr/lib/sendmail", "/usr/bin/mailq", "/usr/bin/newaliases",
            "/usr/sbin/jqmail")) {
            assertTrue(Files.isSymbolicLink(Path.of(link)), link + " is a link");
            assertEquals(launch, Path.of(link).toRealPath(), link + " leads to the launcher");
        }
        String unit = Files.readString(Path.of("/lib/systemd/system/jqmail.service"));
        assertTrue(unit.contains("\nExecStart=/usr/lib/jqmail/bin/jqmail start --home /var/jqmail --foreground\n"), unit);
        assertTrue(unit.contains("\nEnvironment=JQMAIL_JAVA=/usr/bin/java\n"), unit);
        if (Files.isExecutable(Path.of("/usr/bin/systemd-analyze"))) {
            Dist.Result verify = exec(null, "systemd-analyze", "verify", "/lib/systemd/system/jqmail.service");
            assertEquals("", (verify.stdout() + verify.stderr()).strip(), "systemd-analyze verify has nothing to say");
        }
        for (String page : List.of("man1/sendmail.1.gz", "man1/mailq.1.gz", "man8/jqmail.8.gz", "man8/qmail-send.8.gz",
            "man8/tcprules.8.gz")) {
            assertTrue(Files.isReadable(Path.of("/usr/share/man").resolve(page)), page);
        }
        if (Files.isExecutable(Path.of("/usr/bin/man"))) {
            Dist.Result man = exec(Map.of("MANWIDTH", "80"), "man", "8", "jqmail");
            assertEquals(0, man.code(), man.stderr());
            assertTrue(man.stdout().contains("jqmail setup"), "man 8 jqmail: " + man.stdout());
        }
        // postinst: the system home and its accounts
        Identities ids = Identities.read(new jqmail.common.Home(HOME));
        assertTrue(ids.isSystem(), "postinst made a system home");
        for (Role r : Role.values()) {
            assertEquals(r.defaultName(), ids.account(r).name());
            assertEquals(0, exec(null, "getent", "passwd", r.defaultName()).code(), r.defaultName());
        }
    }

    /**
     * What cron does with a job's output, {@code sendmail root} through the
     * .deb's link with no home named: root's entry of /etc/aliases (setup
     * --root-mail) sends it to a login of this machine, whose mail goes to
     * /var/mail (defaultdelivery spool), where {@code mail -f} reads it.
     */
    private static void deliversCronMailToRoot() throws Exception {
        Dist.Result sent = exec(null, "Subject: cron\n\nout\n".getBytes(StandardCharsets.UTF_8), "/usr/sbin/sendmail",
            "-FCronDaemon", "-i", "-B8BITMIME", "-oem", "root");
        assertEquals(0, sent.code(), sent.stderr());
        String spool = awaitIn(Path.of("/var/mail", ADMIN), "Subject: cron");
        assertTrue(spool.startsWith("From root@") && spool.contains("\nDelivered-To: " + ADMIN + "@"), spool);
        Dist.Result read = exec(null, "su", "-s", "/bin/sh", "-c", "printf 'p\\nq\\n' | mail -N -f /var/mail/" + ADMIN, ADMIN);
        assertEquals(0, read.code(), read.stderr());
        assertTrue(read.stdout().contains("Subject: cron") && read.stdout().contains("\nout\n"), "mail -f reads it: " + read.stdout());
    }

    /** A user's ~/.forward pipes into a script of the user's, which runs as the user. */
    private static void aDotForwardPipesIntoAScriptAsItsUser() throws Exception {
        Path home = Path.of(exec(null, "sh", "-c", "getent passwd " + PIPER + " | cut -d: -f6").stdout().strip());
        Dist.Result made = exec(null, "su", "-s", "/bin/sh", "-c", "cd && printf '#!/bin/sh\\n{ id -un; cat; } >> $HOME/got\\n'"
            + " > log.sh && chmod 755 log.sh && echo '\"|'" + home + "'/log.sh\"' > .forward", PIPER);
        assertEquals(0, made.code(), made.stderr());
        Dist.Result sent = exec(null, "Subject: piped\n\nthrough the script\n".getBytes(StandardCharsets.UTF_8),
            "/usr/sbin/sendmail", PIPER);
        assertEquals(0, sent.code(), sent.stderr());
        String got = awaitIn(home.resolve("got"), "through the script");
        assertTrue(got.startsWith(PIPER + "\n"), "the script ran as " + PIPER + ": " + got);
    }

    /** An alias of /etc/aliases, compiled by the .deb's newaliases: a login's spool, a .forward's script, a file. */
    private static void anAliasReachesItsThreeTargets() throws Exception {
        Path archive = HOME.resolve("alias/team.mbox");
        Files.writeString(ETC_ALIASES, Files.readString(ETC_ALIASES) + "jqpkgteam: " + ADMIN + ", " + PIPER + ",\n  "
            + archive + "\n");
        Dist.Result compiled = exec(null, "/usr/bin/newaliases");
        assertEquals(0, compiled.code(), compiled.stderr());
        Dist.Result sent = exec(null, "Subject: team\n\nto all three\n".getBytes(StandardCharsets.UTF_8),
            "/usr/sbin/sendmail", "jqpkgteam");
        assertEquals(0, sent.code(), sent.stderr());
        Path home = Path.of(exec(null, "sh", "-c", "getent passwd " + PIPER + " | cut -d: -f6").stdout().strip());
        awaitIn(Path.of("/var/mail", ADMIN), "Subject: team");
        awaitIn(home.resolve("got"), "Subject: team");
        String archived = awaitIn(archive, "Subject: team");
        assertTrue(archived.contains("\nDelivered-To: jqpkgteam@"), archived);
    }

    /** The file's text once it holds {@code what}, waiting up to a minute. */
    private static String awaitIn(Path file, String what) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (Files.exists(file)) {
                String text = Files.readString(file, StandardCharsets.ISO_8859_1);
                if (text.contains(what)) {
                    return text;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + " never reached " + file + "; qmail-send's log:\n"
            + exec(null, "sh", "-c", "tail -n 30 " + HOME.resolve("log/qmail-send/current")).stdout());
    }

    /** {@code sendmail -t} to a host that never answers (control/smtproutes): the message waits, and mailq shows it. */
    private static void mailqListsWhatWaits() throws Exception {
        byte[] msg = "To: someone@remote.invalid\nSubject: waits\n\nbody\n".getBytes(StandardCharsets.UTF_8);
        Dist.Result sent = exec(null, msg, "/usr/sbin/sendmail", "-t");
        assertEquals(0, sent.code(), sent.stderr());
        Dist.Result q = null;
        for (int i = 0; i < 300; i++) {
            q = exec(null, "/usr/bin/mailq");
            if (q.stdout().contains("someone@remote.invalid")) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(0, q.code(), q.stderr());
        assertTrue(q.stdout().contains("someone@remote.invalid"), "mailq lists the waiting message: " + q.stdout());
    }

    private static void newaliasesCompilesTheSystemsAliases() throws Exception {
        if (!Files.isRegularFile(Path.of("/etc/aliases"))) {
            return;   // nothing for postinst or newaliases to compile
        }
        Path index = HOME.resolve("users/aliases.cdb");
        assertTrue(Files.isRegularFile(index), "postinst compiled /etc/aliases");
        Files.delete(index);
        Dist.Result r = exec(null, "/usr/bin/newaliases");
        assertEquals(0, r.code(), r.stderr());
        assertTrue(r.stdout().startsWith("/etc/aliases: "), r.stdout());
        assertTrue(Files.isRegularFile(index), "newaliases wrote " + index);
    }

    /**
     * The same package again, as an upgrade: prerm stops the daemons (their
     * jars are about to change), postinst sets the home up again (idempotent)
     * and, with no systemd here, starts them again because they ran.
     */
    private static void upgradeStopsAndRestarts(Path deb) throws Exception {
        Dist.Result again = exec(null, "dpkg", "-i", "--force-conflicts", deb.toString());
        assertEquals(0, again.code(), again.stdout() + again.stderr());
        Dist.Result status = exec(null, "/usr/sbin/jqmail", "status");
        assertEquals(0, status.code(), "running again after the upgrade: " + status.stdout() + status.stderr());
        assertFalse(Files.exists(HOME.resolve("run/restart-after-upgrade")), "postinst took its note");
    }

    private static void purgeLeftNothing(List<Entry> contents) throws Exception {
        for (Entry e : contents) {
            boolean shared = e.directory() && !e.path().toString().contains("jqmail");
            if (!shared) {
                assertFalse(Files.exists(e.path(), LinkOption.NOFOLLOW_LINKS), e.path() + " left after purge");
            }
        }
        assertFalse(Files.exists(HOME, LinkOption.NOFOLLOW_LINKS), HOME + " left after purge");
        for (Role r : Role.values()) {
            assertTrue(exec(null, "getent", "passwd", r.defaultName()).code() != 0, r.defaultName() + " left after purge");
        }
    }

    private void undivert() throws Exception {
        for (int i = diverted.size() - 1; i >= 0; i--) {
            String p = diverted.get(i);
            Dist.Result r = exec(null, "dpkg-divert", "--package", "jqmail", "--remove", "--rename", "--divert", p + DIVERTED, p);
            assertEquals(0, r.code(), r.stdout() + r.stderr());
            diverted.remove(i);
        }
    }

    /**
     * After a failure: stop what runs, purge the package (postrm removes the
     * home and the accounts), and remove the diversions, each step whatever
     * the one before did; the accounts and home a failed purge left, which
     * refuseToClobber showed were not there before, go too.
     */
    private void putBack() throws Exception {
        if (Files.isExecutable(Path.of("/usr/lib/jqmail/bin/jqmail"))) {
            exec(null, "/usr/lib/jqmail/bin/jqmail", "stop", "--home", HOME.toString());
        }
        if (installed() || exec(null, "dpkg-query", "-W", "jqmail").code() == 0) {
            Dist.Result purge = exec(null, "dpkg", "--purge", "jqmail");
            if (purge.code() != 0) {
                exec(null, "dpkg", "--purge", "--force-all", "jqmail");
            }
        }
        for (int i = diverted.size() - 1; i >= 0; i--) {
            String p = diverted.get(i);
            Files.deleteIfExists(Path.of(p));   // ours, if a failed purge left it
            exec(null, "dpkg-divert", "--package", "jqmail", "--remove", "--rename", "--divert", p + DIVERTED, p);
        }
        diverted.clear();
        exec(null, "rm", "-rf", HOME.toString());
        for (Role r : Role.values()) {
            exec(null, "userdel", r.defaultName());
            exec(null, "groupdel", r.defaultName());
        }
        exec(null, "groupdel", Identities.GROUP);
    }

    private static boolean installed() throws Exception {
        Dist.Result r = exec(null, "dpkg-query", "-W", "-f=${Status}", "jqmail");
        return r.code() == 0 && !r.stdout().contains("not-installed");
    }

    private static Map<Path, byte[]> snapshot(Iterable<Path> paths) throws IOException {
        Map<Path, byte[]> out = new LinkedHashMap<>();
        for (Path p : paths) {
            out.put(p, Files.isSymbolicLink(p) ? ("-> " + Files.readSymbolicLink(p)).getBytes(StandardCharsets.UTF_8)
                : Files.readAllBytes(p));
        }
        return out;
    }

    private static Dist.Result exec(Map<String, String> env, String... cmd) throws Exception {
        return exec(env, null, cmd);
    }

    /** A command with no JQMAIL_HOME: the package's programs find /var/jqmail by default, as cron's sendmail does. */
    private static Dist.Result exec(Map<String, String> env, byte[] stdin, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("JQMAIL_HOME");
        pb.environment().remove("JQMAIL_JAVA");
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        if (env != null) {
            pb.environment().putAll(env);
        }
        return Dist.finish(pb, stdin, 300);
    }
}
