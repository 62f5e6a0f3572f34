package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
            assertEquals(0, Dist.run(null, "jqmail", "setup", "--home", h.toString(), "--system").code(), "idempotent");
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
