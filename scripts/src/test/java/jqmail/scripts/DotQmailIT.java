package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jqmail.common.Address;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * .qmail semantics through the real qmail-local (qmail's own argument
 * interface: user home local dash ext domain sender defaultdelivery, the
 * message on stdin; exit 0, 100, 111).
 */
class DotQmailIT {
    static final String MESSAGE = "Subject: dot-qmail\n\nFrom the start\nline two\n";

    @TempDir
    Path dir;
    Path home;
    TestHome jq;

    @BeforeEach
    void setUp() throws Exception {
        jq = new TestHome(dir.resolve("jq"));
        jq.control("queueminfree", "0");
        home = Files.createDirectories(dir.resolve("user"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void tearDown() throws Exception {
        jq.close();
    }

    Path maildir(String name) throws Exception {
        Path m = home.resolve(name);
        for (String d : new String[] {"tmp", "new", "cur"}) {
            Files.createDirectories(m.resolve(d));
        }
        return m;
    }

    void dotQmail(String name, String content) throws Exception {
        Files.writeString(home.resolve(name), content);
        Files.setPosixFilePermissions(home.resolve(name), PosixFilePermissions.fromString("rw-r--r--"));
    }

    Dist.Result local(String dash, String ext, String message, String... flags) throws Exception {
        List<String> a = new ArrayList<>(List.of(flags));
        a.addAll(List.of("--", "joe", home.toString(), "joe" + dash + ext, dash, ext, "example.org", "sender@far.example",
            "./Maildir/"));
        return Dist.run(jq.dir, message.getBytes(StandardCharsets.ISO_8859_1), Map.of(), "qmail-local",
            a.toArray(new String[0]));
    }

    static List<String> files(Path maildir) throws Exception {
        List<String> out = new ArrayList<>();
        try (var s = Files.list(maildir.resolve("new"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                out.add(Files.readString(p, StandardCharsets.ISO_8859_1));
            }
        }
        return out;
    }

    @Test
    void withoutDotQmailTheDefaultDeliveryIsTheMaildir() throws Exception {
        Path m = maildir("Maildir");
        Dist.Result r = local("", "", MESSAGE);
        assertEquals(0, r.code(), r.stdout());
        assertEquals("did 1+0+0/", r.stdout().strip());
        assertEquals(List.of("Return-Path: <sender@far.example>\nDelivered-To: joe@example.org\n" + MESSAGE), files(m));
        try (var s = Files.list(m.resolve("tmp"))) {
            assertEquals(0, s.count(), "nothing left in tmp/");
        }
    }

    @Test
    void twoMaildirsOfOneDeliveryShareOneStoredCopy() throws Exception {
        Path a = maildir("Maildir");
        Path b = maildir("Archive");
        dotQmail(".qmail", "./Maildir/\n./Archive/\n");
        Dist.Result r = local("", "", MESSAGE);
        assertEquals(0, r.code(), r.stdout());
        assertEquals("did 2+0+0/", r.stdout().strip());
        assertEquals(files(a), files(b), "the same bytes in both");
        Path fa;
        Path fb;
        try (var sa = Files.list(a.resolve("new")); var sb = Files.list(b.resolve("new"))) {
            fa = sa.findFirst().orElseThrow();
            fb = sb.findFirst().orElseThrow();
        }
        assertTrue(Files.isSameFile(fa, fb), "one inode, linked into both new/");
        assertEquals(2, (Integer) Files.getAttribute(fa, "unix:nlink"));
    }

    @Test
    void everyLineTypeInOrder() throws Exception {
        Path m = maildir("Maildir");
        Path mbox = home.resolve("Mailbox");
        Path out = home.resolve("program.out");
        dotQmail(".qmail", "# a comment\n./Maildir/\n./Mailbox\n|cat > program.out; echo \"$SENDER $RECIPIENT\" >> program.out\n");
        Dist.Result r = local("", "", "From me\n" + MESSAGE);
        assertEquals(0, r.code(), r.stdout());
        assertEquals("did 2+0+1/", r.stdout().strip());
        assertEquals(1, files(m).size());
        String mb = Files.readString(mbox);
        assertTrue(mb.matches("(?s)From sender@far\\.example [A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}\n"
            + "Return-Path: <sender@far\\.example>\nDelivered-To: joe@example\\.org\n>From me\nSubject: dot-qmail\n.*\n\n"), mb);
        assertEquals("From me\n" + MESSAGE + "sender@far.example joe@example.org\n", Files.readString(out),
            "programs get the message without added lines");
    }

    @Test
    void programExitCodes() throws Exception {
        Path m = maildir("Maildir");
        int[][] cases = {{0, 0}, {99, 0}, {100, 100}, {111, 111}, {64, 100}, {1, 111}};
        for (int[] c : cases) {
            dotQmail(".qmail", "|echo said $((1+1)); exit " + c[0] + "\n./Maildir/\n");
            Dist.Result r = local("", "", MESSAGE);
            assertEquals(c[1], r.code(), "exit " + c[0] + ": " + r.stdout());
            if (c[0] != 0 && c[0] != 99) {
                assertTrue(r.stdout().contains("said 2"), "the program's words are the report: " + r.stdout());
            }
        }
        assertEquals(1, files(m).size(), "only exit 0 went on to the next line; 99 stopped, failures stopped");
    }

    @Test
    void extensionsCascadeToDefault() throws Exception {
        Path a = maildir("A");
        Path b = maildir("B");
        Path c = maildir("C");
        dotQmail(".qmail-list-announce", "./A/\n");
        dotQmail(".qmail-list-default", "./B/\n");
        dotQmail(".qmail-default", "./C/\n");
        assertEquals(0, local("-", "list-announce", MESSAGE).code());
        assertEquals(0, local("-", "List-Sales", MESSAGE).code());
        assertEquals(0, local("-", "other", MESSAGE).code());
        assertEquals(1, files(a).size());
        assertEquals(1, files(b).size());
        assertEquals(1, files(c).size());
        Files.delete(home.resolve(".qmail-default"));
        Dist.Result none = local("-", "other", MESSAGE);
        assertEquals(100, none.code());
        assertTrue(none.stdout().contains("no mailbox here by that name"), none.stdout());
    }

    @Test
    void defaultAndExtensionVariables() throws Exception {
        Path env = home.resolve("env.out");
        dotQmail(".qmail-list-default", "|env | sort > env.out\n");
        assertEquals(0, local("-", "list-sales-east", MESSAGE).code());
        String e = Files.readString(env);
        for (String v : new String[] {"DEFAULT=sales-east", "EXT=list-sales-east", "EXT2=sales-east", "EXT3=east",
            "LOCAL=joe-list-sales-east", "HOST=example.org", "HOST2=example", "RECIPIENT=joe-list-sales-east@example.org",
            "SENDER=sender@far.example", "USER=joe", "HOME=" + home, "DTLINE=Delivered-To: joe-list-sales-east@example.org",
            "RPLINE=Return-Path: <sender@far.example>"}) {
            assertTrue(e.contains(v + "\n") || e.contains(v), v + " in\n" + e);
        }
        assertFalse(e.contains("JQMAIL_SECRET"), "no stray variables");
    }

    @Test
    void loopsBounce() throws Exception {
        maildir("Maildir");
        Dist.Result r = local("", "", "Delivered-To: joe@example.org\n" + MESSAGE);
        assertEquals(100, r.code());
        assertTrue(r.stdout().contains("looping"), r.stdout());
        Dist.Result body = local("", "", MESSAGE + "Delivered-To: joe@example.org\n");
        assertEquals(0, body.code(), "a line in the body is not the header");
    }

    @Test
    void forwardsAreQueuedWithDeliveredTo() throws Exception {
        jq.start();
        dotQmail(".qmail-fwd", "&one@elsewhere.example\ntwo@elsewhere.example\n");
        Dist.Result r = local("-", "fwd", MESSAGE);
        assertEquals(0, r.code(), r.stdout());
        assertEquals("did 0+2+0/", r.stdout().strip());
        TestHome.Stored s = jq.stored().get(0);
        assertEquals(List.of(new Address("one@elsewhere.example"), new Address("two@elsewhere.example")),
            s.envelope().recipients());
        assertEquals(new Address("sender@far.example"), s.envelope().sender());
        assertTrue(s.message().startsWith("Delivered-To: joe-fwd@example.org\n" + MESSAGE), s.message());
    }

    @Test
    void listOwnersBecomeTheSender() throws Exception {
        jq.start();
        dotQmail(".qmail-list", "&member@elsewhere.example\n");
        dotQmail(".qmail-list-owner", "./Maildir/\n");
        assertEquals(0, local("-", "list", MESSAGE).code());
        assertEquals(new Address("joe-list-owner@example.org"), jq.stored().get(0).envelope().sender());
    }

    @Test
    void unsafeFilesAreTemporaryFailures() throws Exception {
        maildir("Maildir");
        dotQmail(".qmail", "./Maildir/\n");
        Files.setPosixFilePermissions(home.resolve(".qmail"), PosixFilePermissions.fromString("rw-rw-rw-"));
        assertEquals(111, local("", "", MESSAGE).code());
        Files.setPosixFilePermissions(home.resolve(".qmail"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));
        Dist.Result r = local("", "", MESSAGE);
        assertEquals(111, r.code());
        assertTrue(r.stdout().contains("home directory is writable"), r.stdout());
    }

    @Test
    void planShowsWhatWouldBeDone() throws Exception {
        dotQmail(".qmail", "./Maildir/\n./Mailbox\n|true\n&x@y.example\n");
        Dist.Result r = local("", "", MESSAGE, "-n");
        assertEquals(0, r.code());
        assertEquals(List.of("maildir " + home.resolve("Maildir"), "mbox " + home.resolve("Mailbox"), "program true",
            "forward x@y.example"), List.of(r.stdout().strip().split("\n")));
    }

    /** Another process holds the mbox's fcntl lock and dotlock; the delivery waits for them and then appends whole. */
    @Test
    void mboxLockingWaitsForAConcurrentWriter() throws Exception {
        Path mbox = home.resolve("Mailbox");
        Files.writeString(mbox, "");
        dotQmail(".qmail", "./Mailbox\n");
        String py = "import fcntl, os, sys, time\n"
            + "d = os.open(sys.argv[1] + '.lock', os.O_CREAT | os.O_EXCL | os.O_WRONLY)\n"
            + "f = open(sys.argv[1], 'a')\n"
            + "fcntl.lockf(f, fcntl.LOCK_EX)\n"
            + "print('locked', flush=True)\n"
            + "f.write('From other Mon Jan  1 00:00:00 2026\\nwritten under the lock\\n\\n'); f.flush()\n"
            + "time.sleep(2)\n"
            + "fcntl.lockf(f, fcntl.LOCK_UN); os.unlink(sys.argv[1] + '.lock')\n";
        Path script = Files.writeString(dir.resolve("hold.py"), py);
        Process holder = new ProcessBuilder("python3", script.toString(), mbox.toString()).start();
        assertEquals("locked", new String(holder.getInputStream().readNBytes(6), StandardCharsets.US_ASCII));
        Dist.Result r = local("", "", MESSAGE);
        assertEquals(0, r.code(), r.stdout());
        holder.waitFor();
        String mb = Files.readString(mbox);
        assertTrue(mb.startsWith("From other Mon Jan  1 00:00:00 2026\nwritten under the lock\n\nFrom sender@far.example"),
            "the other writer's message is whole and ours follows it:\n" + mb);
    }
}
