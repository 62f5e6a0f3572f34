package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jqmail.common.Identities;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jqmail setup: the home of DESIGN §3 with the owners and modes of the trust partition. */
class SetupIT {
    @TempDir
    Path dir;

    static int mode(Path p) throws Exception {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    static int uid(Path p) throws Exception {
        return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    static int gid(Path p) throws Exception {
        return (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void userModeHomeHasEveryEntryWithItsMode() throws Exception {
        TestHome home = new TestHome(dir.resolve("home"));
        int me = uid(dir);
        for (Layout.Entry e : Layout.entries()) {
            Path p = home.dir.resolve(e.path());
            assertEquals(e.mode(), mode(p), e.path());
            assertEquals(me, uid(p), e.path() + " belongs to the home's owner");
        }
        assertTrue((Boolean) Files.getAttribute(home.queue.trigger(), "unix:isOther", LinkOption.NOFOLLOW_LINKS),
            "the trigger is a FIFO");
        Identities ids = Identities.read(home.home);
        assertEquals(false, ids.isSystem());
        assertEquals("test.example\n", Files.readString(home.home.control().resolve("me")));
        assertTrue(Files.isDirectory(home.home.log().resolve("qmail-queued")));
        Path cert = home.home.control().resolve("servercert.pem");
        assertEquals(0600, mode(cert), "the TLS key is its owner's alone");
        String pem = Files.readString(cert);
        assertTrue(pem.contains("-----BEGIN PRIVATE KEY-----") && pem.contains("-----BEGIN CERTIFICATE-----"), pem);
        assertTrue(output("openssl", "x509", "-noout", "-subject", "-ext", "subjectAltName", "-in", cert.toString())
            .contains("DNS:test.example"), "a self-signed certificate for me, so STARTTLS works from the start");
    }

    @Test
    void setupAgainRepairsModesAndKeepsTheQueue() throws Exception {
        TestHome home = new TestHome(dir.resolve("home"));
        home.start();
        assertEquals(0, Dist.qmailQueue(home.dir, "x\n".getBytes(StandardCharsets.US_ASCII),
            "Fa@b\0Tc@d\0\0".getBytes(StandardCharsets.US_ASCII)).code());
        home.stop();
        Files.setPosixFilePermissions(home.queue.todo(), java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Dist.Result again = home.jqmail("setup");
        assertEquals(0, again.code(), again.stderr());
        assertEquals(0750, mode(home.queue.todo()), "mode repaired");
        assertEquals(1, home.queue.walk().size(), "queued mail untouched");
    }

    @Test
    void homeBinRunsProgramsOnThisHomeWhateverTheEnvironmentSays() throws Exception {
        TestHome home = new TestHome(dir.resolve("home"));
        ProcessBuilder pb = new ProcessBuilder(home.home.bin().resolve("qmail-qstat").toString());
        pb.environment().put("JQMAIL_HOME", "/nonexistent");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        assertEquals("messages in queue: 0\nmessages in queue but not yet preprocessed: 0\n", out);
    }

    @Test
    void refusesABadMailName() throws Exception {
        Dist.Result r = Dist.run(null, "jqmail", "setup", "--home", dir.resolve("h").toString(), "--me", "a b");
        assertEquals(100, r.code());
    }

    /**
     * User mode: --root-mail writes alias/.qmail-root (and the postmaster and
     * mailer-daemon files that followed it), and mail to root@me reaches the
     * address, here a virtual user named by its bare local name.
     */
    @Test
    void rootMailInUserModeForwardsRootAndWhatFollowsIt() throws Exception {
        try (TestHome home = new TestHome(dir.resolve("home"))) {
            Path carol = home.addUser("carol", "pw");
            Path alias = home.home.alias();
            Files.writeString(alias.resolve(".qmail-mailer-daemon"), "./Maildir/\n# mine\n");
            Dist.Result r = home.jqmail("setup", "--root-mail", "carol");
            assertEquals(0, r.code(), r.stderr());
            assertEquals("&carol@test.example\n", Files.readString(alias.resolve(".qmail-root")));
            assertEquals("&carol@test.example\n", Files.readString(alias.resolve(".qmail-postmaster")),
                "postmaster held root's line, so it follows root");
            assertEquals("./Maildir/\n# mine\n", Files.readString(alias.resolve(".qmail-mailer-daemon")),
                "a line of its own stays");
            home.start();
            Dist.Result inject = Dist.run(home.dir, "Subject: for root\n\nhello root\n".getBytes(StandardCharsets.US_ASCII),
                Map.of(), "qmail-inject", "root@test.example");
            assertEquals(0, inject.code(), inject.stderr());
            Path fresh = carol.resolve("new");
            for (int i = 0; i < 300 && TestHome.entries(fresh) == 0; i++) {
                Thread.sleep(100);
            }
            assertEquals(1, TestHome.entries(fresh), "root's mail reached carol" + home.log());
            try (var s = Files.list(fresh)) {
                String m = Files.readString(s.findFirst().orElseThrow(), StandardCharsets.ISO_8859_1);
                assertTrue(m.contains("Delivered-To: root@test.example") && m.contains("hello root"), m);
            }
            assertEquals(0, TestHome.entries(alias.resolve("Maildir/new")), "nothing kept in the alias Maildir");

            r = home.jqmail("setup", "--root-mail", "./Maildir/");
            assertEquals(0, r.code(), r.stderr());
            assertEquals("./Maildir/\n", Files.readString(alias.resolve(".qmail-root")));
            assertEquals("./Maildir/\n", Files.readString(alias.resolve(".qmail-postmaster")));
            r = home.jqmail("setup");
            assertEquals(0, r.code(), r.stderr());
            assertEquals("./Maildir/\n", Files.readString(alias.resolve(".qmail-root")),
                "without the flag and without a terminal, nothing changes");
        }
    }

    /** Programs, files, lists, spaces, loops: exit 100, one line on stderr, and no home made. */
    @Test
    void rootMailRefusesWhatIsNotAnAddress() throws Exception {
        Path h = dir.resolve("never");
        for (String bad : new String[] {"|/usr/bin/procmail", "/var/mail/admin", "a b", "ann\nroot: |/bin/sh", "ann,bob",
            "root", "postmaster@test.example", ""}) {
            Dist.Result r = Dist.run(null, "jqmail", "setup", "--home", h.toString(), "--me", "test.example",
                "--root-mail", bad);
            assertEquals(100, r.code(), bad + ": " + r.stderr());
            assertEquals(1, r.errLines().size(), r.stderr());
            assertTrue(r.stderr().startsWith("jqmail: --root-mail: "), r.stderr());
            assertEquals("", r.stdout());
        }
        assertFalse(Files.exists(h), "nothing was set up");
    }

    /** On a terminal (script(1) gives it one), setup asks once; Enter keeps what there is. */
    @Test
    void onATerminalSetupAsksWhereRootsMailGoes() throws Exception {
        Path h = dir.resolve("asked");
        String cmd = Setup.quote(Dist.bin("jqmail").toString()) + " setup --home " + Setup.quote(h.toString())
            + " --me test.example";
        String[] now = {"./Maildir/ (setup's default: " + h.resolve("alias/Maildir") + ")",
            "&admin@example.com (" + h.resolve("alias/.qmail-root") + ")"};
        String[] answers = {"admin@example.com", ""};
        for (int i = 0; i < answers.length; i++) {
            String answer = answers[i];
            Process p = new ProcessBuilder("script", "-qec", cmd, "/dev/null").redirectErrorStream(true).start();
            try (var in = p.getOutputStream()) {
                in.write((answer + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);
            assertTrue(out.contains("Mail for root goes to " + now[i] + ".\r\n"), out);
            assertEquals("&admin@example.com\n", Files.readString(h.resolve("alias/.qmail-root")), out);
        }
    }

    /**
     * A system home (root only): the users of DESIGN §2 exist and every
     * entry has the owner the trust partition gives it. The users this test
     * creates are removed again.
     */
    @Test
    void systemHomeGivesEachDirectoryItsOwner() throws Exception {
        assumeTrue(uid(Path.of("/proc/self")) == 0, "--system needs root");
        try (AutoCloseable accounts = AccountsLock.lock()) {
            systemHome();
        }
    }

    private void systemHome() throws Exception {
        List<String> created = new ArrayList<>();
        for (Identities.Role r : Identities.Role.values()) {
            if (run("id", r.defaultName()) != 0) {
                created.add(r.defaultName());
            }
        }
        boolean groupCreated = run("getent", "group", Identities.GROUP) != 0;
        try {
            Path h = dir.resolve("sys");
            Dist.Result r = Dist.run(null, "jqmail", "setup", "--home", h.toString(), "--system");
            assertEquals(0, r.code(), r.stderr());
            Identities ids = Identities.read(new jqmail.common.Home(h));
            assertTrue(ids.isSystem());
            int jqmailGid = Integer.parseInt(output("getent", "group", Identities.GROUP).split(":")[2]);
            for (Layout.Entry e : Layout.entries()) {
                Path p = h.resolve(e.path());
                int wantUid = e.owner() == null ? 0 : ids.uid(e.owner());
                assertEquals(wantUid, uid(p), e.path() + " owner");
                if (e.queueGroup()) {
                    assertEquals(jqmailGid, gid(p), e.path() + " group");
                }
                assertEquals(e.mode(), mode(p), e.path() + " mode");
            }
            assertTrue(!List.of(output("id", "-Gn", "jqmaild").strip().split(" ")).contains(Identities.GROUP),
                "the SMTP daemon's user cannot read the queue through its group");

            Dist.Result fsck = Dist.run(null, "jqmail", "queue", "fsck", "--home", h.toString());
            assertEquals(0, fsck.code(), "queue fsck finds a new system home sound: " + fsck.stdout() + fsck.stderr());
            Path todo = h.resolve("queue/todo");
            Files.setAttribute(todo, "unix:gid", 0);
            fsck = Dist.run(null, "jqmail", "queue", "fsck", "--home", h.toString(), "--repair");
            int q = ids.uid(Identities.Role.QUEUE);
            assertEquals("fsck: queue/todo: owner " + q + ":0, not " + q + ":" + jqmailGid + ": repaired (owner set)\n",
                fsck.stdout());
            assertEquals(jqmailGid, gid(todo), "queue fsck --repair gives the queue's group back");
            Dist.Result again = Dist.run(null, "jqmail", "setup", "--home", h.toString(), "--system");
            assertEquals(0, again.code(), "idempotent: " + again.stderr());
        } finally {
            for (String u : created) {
                run("userdel", u);
                run("groupdel", u);
            }
            if (groupCreated) {
                run("groupdel", Identities.GROUP);
            }
        }
    }

    static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    static String output(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
