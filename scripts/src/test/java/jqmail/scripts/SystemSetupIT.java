package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jqmail.common.Home;
import jqmail.common.Identities.Role;
import jqmail.local.aliases.AliasIndex;
import jqmail.local.aliases.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What setup does outside a system home (root only): root's entry of the
 * aliases file and its index, and /var/qmail. The machine's own
 * /etc/aliases and /var/qmail are never touched: setup is pointed at files
 * in the test's directory through the system properties the jqmail package
 * page names for tests (JQMAIL_JVM_OPTS carries them). Accounts of its own
 * names; everything is removed through {@code setup --system --remove}.
 */
class SystemSetupIT {
    private static final String GROUP = "jqsqueue";

    @TempDir
    Path dir;

    private static String account(Role r) {
        return "jqs-" + r.key();
    }

    private Dist.Result setup(Path aliases, Path qmail, String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of("setup", "--home", dir.resolve("sys").toString(), "--system"));
        a.addAll(List.of(args));
        return Dist.run(null, null, Map.of("JQMAIL_JVM_OPTS", "-D" + Setup.ALIASES_PROPERTY + "=" + aliases + " -D"
            + QmailCompat.PROPERTY + "=" + qmail), "jqmail", a.toArray(new String[0]));
    }

    private List<String> lookup(String name) throws Exception {
        List<Target> t = AliasIndex.open(AliasIndex.path(new Home(dir.resolve("sys")))).lookup(name);
        return t == null ? null : t.stream().map(Target::text).toList();
    }

    @Test
    void rootMailGoesToTheAliasesFileAndQmailCompatMakesAVarQmail() throws Exception {
        assumeTrue(Files.readString(Path.of("/proc/self/status")).contains("\nUid:\t0\t"), "a system home needs root");
        List<String> first = new ArrayList<>(List.of("--me", "sys.test", "--group", GROUP, "--root-mail", "ann",
            "--qmail-compat"));
        for (Role r : Role.values()) {
            assumeTrue(SetupIT.run("id", account(r)) != 0, "account " + account(r) + " exists already");
            first.addAll(List.of("--account", r.key() + "=" + account(r)));
        }
        Path aliases = dir.resolve("etc/aliases");
        Path qmail = dir.resolve("var/qmail");
        Files.createDirectories(aliases.getParent());
        Files.createDirectories(qmail.getParent());
        Path h = dir.resolve("sys");
        try {
            Dist.Result r = setup(aliases, qmail, first.toArray(new String[0]));
            assertEquals(0, r.code(), r.stderr());
            assertEquals(EtcAliases.DEBIAN_DEFAULT + "root: ann\n", Files.readString(aliases),
                "a missing aliases file is made as Debian makes it, with root's line");
            assertEquals(List.of("ann"), lookup("root"), "and compiled");
            assertEquals(List.of("root"), lookup("postmaster"));

            rootEntryReplacedOtherLinesKept(aliases, qmail);
            malformedFileWarnsAndKeepsTheIndex(aliases, qmail);
            varQmailWorks(h, qmail);
            foreignVarQmailIsRefused(aliases);

            Dist.Result remove = setup(aliases, qmail, "--remove");
            assertEquals(0, remove.code(), remove.stderr());
            assertEquals("jqmail: removed " + h + ", " + qmail + " and its users and groups\n", remove.stdout());
            assertFalse(Files.exists(qmail), "the /var/qmail it made is gone");
            assertFalse(Files.exists(h));
        } finally {
            for (Role r : Role.values()) {   // only if the test failed before --remove
                SetupIT.run("userdel", account(r));
                SetupIT.run("groupdel", account(r));
            }
            SetupIT.run("groupdel", GROUP);
        }
    }

    private void rootEntryReplacedOtherLinesKept(Path aliases, Path qmail) throws Exception {
        String before = "# See man 5 aliases for format\n"
            + "postmaster:    root\n"
            + "ROOT: ann,\n"
            + "# ann leaves in May\n"
            + "\tbob\n"
            + "staff: ann, \"|/usr/bin/logger -t staff\"\n"
            + "# end";
        Files.writeString(aliases, before);
        Files.setPosixFilePermissions(aliases, PosixFilePermissions.fromString("rw-r-----"));
        Dist.Result r = setup(aliases, qmail, "--root-mail", "admin@example.com");
        assertEquals(0, r.code(), r.stderr());
        assertEquals("# See man 5 aliases for format\n"
            + "postmaster:    root\n"
            + "root: admin@example.com\n"
            + "# ann leaves in May\n"
            + "staff: ann, \"|/usr/bin/logger -t staff\"\n"
            + "# end", Files.readString(aliases));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(aliases)), "mode kept");
        assertTrue(r.stdout().contains("jqmail: " + aliases + ": 3 aliases, "), "newaliases' summary: " + r.stdout());
        assertEquals(List.of("admin@example.com"), lookup("root"));
        assertEquals(List.of("ann", "|/usr/bin/logger -t staff"), lookup("staff"));
        assertFalse(AliasIndex.stale(AliasIndex.path(new Home(dir.resolve("sys"))), aliases));

        r = setup(aliases, qmail, "--root-mail", "./Maildir/");
        assertEquals(0, r.code(), r.stderr());
        assertFalse(Files.readString(aliases).contains("root:"), "the alias Maildir: root's entry goes");
        assertNull(lookup("root"));
        assertEquals("./Maildir/\n", Files.readString(dir.resolve("sys/alias/.qmail-root")));
        Files.writeString(aliases, before);
        r = setup(aliases, qmail);
        assertEquals(0, r.code(), r.stderr());
        assertEquals(before, Files.readString(aliases), "without --root-mail the file is only read");
        assertEquals(List.of("ann", "bob"), lookup("root"), "and compiled: setup keeps a system home's index current");
    }

    private void malformedFileWarnsAndKeepsTheIndex(Path aliases, Path qmail) throws Exception {
        Files.writeString(aliases, "postmaster: root\n\nstaff ann\n");
        Dist.Result r = setup(aliases, qmail);
        assertEquals(0, r.code(), "a malformed aliases file does not fail setup: " + r.stderr());
        assertEquals(List.of("jqmail: warning: " + aliases + ":3: no colon after the alias name ("
            + AliasIndex.path(new Home(dir.resolve("sys"))) + " left as it was)"), r.errLines());
        assertEquals(List.of("ann", "bob"), lookup("root"), "the old index stays");
    }

    /** qmail's paths work: bin/qmail-inject queues into this home, control/me is this home's, the mark names it. */
    private void varQmailWorks(Path h, Path qmail) throws Exception {
        assertEquals(h + "\n", Files.readString(qmail.resolve(".jqmail")));
        assertEquals("sys.test\n", Files.readString(qmail.resolve("control/me")));
        assertTrue(Files.isRegularFile(qmail.resolve("alias/.qmail-root")));
        assertTrue(Files.isDirectory(qmail.resolve("users")));
        assertFalse(Files.exists(qmail.resolve("queue")), "not our queue: its format is not qmail's");
        Dist.Result inject = run(qmail.resolve("bin/qmail-inject").toString(), "someone@example.org");
        assertEquals(0, inject.code(), inject.stderr());
        Path maildrop = h.resolve("queue/maildrop");
        assertEquals(1, TestHome.entries(maildrop), "qmail-inject dropped the message into this home");
        try (var s = Files.list(maildrop)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.delete(p);   // so that --remove finds the home empty
            }
        }
        Dist.Result showctl = run(qmail.resolve("bin/qmail-showctl").toString());
        assertEquals(0, showctl.code(), showctl.stderr());
        assertTrue(showctl.stdout().contains("sys.test"), showctl.stdout());
        Dist.Result again = setup(dir.resolve("etc/aliases"), qmail, "--qmail-compat");
        assertEquals(0, again.code(), "idempotent: " + again.stderr());
    }

    /** A /var/qmail not made for this home (a real qmail's) is left alone: exit 111, one line. */
    private void foreignVarQmailIsRefused(Path aliases) throws Exception {
        Path real = Files.createDirectories(dir.resolve("realqmail/bin"));
        Files.writeString(real.resolve("qmail-inject"), "qmail's\n");
        Dist.Result r = setup(aliases, real.getParent(), "--qmail-compat");
        assertEquals(111, r.code());
        assertEquals(List.of("jqmail: --qmail-compat: " + real.getParent()
            + " exists and is not jqmail's (a qmail installation?): move it away first"), r.errLines());
        assertEquals("qmail's\n", Files.readString(real.resolve("qmail-inject")));
        try (var s = Files.list(real)) {
            assertEquals(List.of(real.resolve("qmail-inject")), s.toList());
        }
    }

    /** A program run by a tool that knows nothing of jqmail: no JQMAIL_HOME, the message on stdin. */
    private static Dist.Result run(String program, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(program));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("JQMAIL_HOME");
        Path out = Files.createTempFile("out", "");
        Path err = Files.createTempFile("err", "");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try (var in = p.getOutputStream()) {
                in.write("Subject: from /var/qmail\n\nhi\n".getBytes(StandardCharsets.US_ASCII));
            }
            int code = p.waitFor();
            return new Dist.Result(code, Files.readString(out), Files.readString(err));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }
}
