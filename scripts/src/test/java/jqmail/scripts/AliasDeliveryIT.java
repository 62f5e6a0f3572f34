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
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * /etc/aliases and ~/.forward at delivery time, through the real daemons
 * of a user-mode home: an alias fans out to a mailbox, a program and a
 * file; alias and .forward loops bounce once, naming what looped, and
 * never multiply mail; a .forward pipes into a script as its account.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AliasDeliveryIT {
    @TempDir
    static Path dir;
    TestHome home;
    Path carol;
    Path aliases;

    @BeforeAll
    void setUp() throws Exception {
        home = new TestHome(dir.resolve("home"));
        carol = home.addUser("carol", "secret");
        aliases = dir.resolve("aliases");
        Files.writeString(aliases, "# the test's /etc/aliases\n"
            + "team: carol,\n"
            + "  \"|/bin/sh -c 'cat > " + dir.resolve("prog.out") + "'\",\n"
            + "  " + dir.resolve("archive.mbox") + "\n"
            + "listed: :include:" + dir.resolve("members") + "\n"
            + "pair: carol, hank\n"
            + "loopa: loopb\n"
            + "loopb: carol, loopa\n");
        Files.writeString(dir.resolve("members"), "# read at delivery, not by newaliases\ncarol\n");
        Files.setPosixFilePermissions(dir.resolve("members"), PosixFilePermissions.fromString("rw-r--r--"));
        newaliases();
        for (String u : new String[] {"dave", "erin", "frank", "gina"}) {
            account(u);
        }
        home.start();
    }

    @AfterAll
    void tearDown() throws Exception {
        home.close();
    }

    private void newaliases() throws Exception {
        Dist.Result r = home.jqmail("newaliases", "--file", aliases.toString());
        assertEquals(0, r.code(), r.stderr());
    }

    /** An account of users/assign with a home of its own, as a system user has (not under vmail/). */
    private Path account(String name) throws Exception {
        Path h = Files.createDirectories(dir.resolve(name));
        Files.setPosixFilePermissions(h, PosixFilePermissions.fromString("rwxr-xr-x"));
        int uid = (Integer) Files.getAttribute(dir, "unix:uid");
        int gid = (Integer) Files.getAttribute(dir, "unix:gid");
        UserCommand.addAssign(home.home, "=" + name + ":" + System.getProperty("user.name") + ":" + uid + ":" + gid
            + ":" + h + ":::");
        return h;
    }

    private static void write(Path file, String text) throws Exception {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static void maildir(Path h) throws Exception {
        for (String d : new String[] {"tmp", "new", "cur"}) {
            Files.createDirectories(h.resolve("Maildir").resolve(d));
        }
    }

    private void inject(String from, String to, String subject) throws Exception {
        Dist.Result r = Dist.run(home.dir, ("Subject: " + subject + "\n\nbody of " + subject + "\n")
            .getBytes(StandardCharsets.ISO_8859_1), Map.of(), "qmail-inject", "-f", from, to);
        assertEquals(0, r.code(), r.stderr());
    }

    private static List<String> messages(Path maildir) throws Exception {
        List<String> out = new ArrayList<>();
        Path n = maildir.resolve("new");
        if (Files.isDirectory(n)) {
            try (var s = Files.list(n)) {
                for (Path p : s.sorted().toList()) {
                    out.add(Files.readString(p, StandardCharsets.ISO_8859_1));
                }
            }
        }
        return out;
    }

    private List<String> messages(Path maildir, String subject) throws Exception {
        return messages(maildir).stream().filter(m -> m.contains(subject)).toList();
    }

    private void await(String what, BooleanSupplier done) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (done.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("waited a minute for " + what + "; queue: " + Dist.run(home.dir, "qmail-qread").stdout()
            + "\nsend log: " + Files.readString(home.home.log().resolve("qmail-send/current")));
    }

    private void awaitEmptyQueue() throws Exception {
        await("an empty queue", () -> {
            try {
                return Dist.run(home.dir, "qmail-qstat").stdout().startsWith("messages in queue: 0\n");
            } catch (Exception e) {
                return false;
            }
        });
    }

    private boolean has(Path maildir, String subject, int n) {
        try {
            return messages(maildir, subject).size() >= n;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void anAliasReachesItsMailboxItsProgramAndItsFile() throws Exception {
        inject("carol@test.example", "team@test.example", "to the team");
        Path prog = dir.resolve("prog.out");
        Path mbox = dir.resolve("archive.mbox");
        await("the three targets", () -> has(carol, "to the team", 1) && Files.exists(mbox) && Files.exists(prog));
        String got = messages(carol, "to the team").get(0);
        assertTrue(got.startsWith("Return-Path: <carol@test.example>\nDelivered-To: carol@test.example\n"), got);
        await("the program's output", () -> {
            try {
                return Files.readString(prog).contains("body of to the team");
            } catch (Exception e) {
                return false;
            }
        });
        String archived = Files.readString(mbox, StandardCharsets.ISO_8859_1);
        assertTrue(archived.startsWith("From carol@test.example "), archived);
        assertTrue(archived.contains("\nDelivered-To: team@test.example\n") && archived.contains("body of to the team"),
            archived);
        awaitEmptyQueue();
        assertEquals(1, messages(carol, "to the team").size(), "one copy for carol");
    }

    @Test
    void anIncludedListIsReadAtDeliveryTime() throws Exception {
        Files.writeString(dir.resolve("members"), "carol, gina\n");   // changed after newaliases: no new index needed
        maildir(dir.resolve("gina"));
        inject("carol@test.example", "listed@test.example", "from the list");
        await("both members' copies", () -> has(carol, "from the list", 1)
            && has(dir.resolve("gina/Maildir"), "from the list", 1));
        awaitEmptyQueue();
        assertEquals(1, messages(carol, "from the list").size());
    }

    @Test
    void aMemberThatMustWaitGetsNoOtherMemberASecondCopy() throws Exception {
        Path hank = dir.resolve("hank");
        Files.createDirectories(hank);
        UserCommand.addAssign(home.home, "=hank:" + System.getProperty("user.name") + ":"
            + Files.getAttribute(dir, "unix:uid") + ":" + Files.getAttribute(dir, "unix:gid") + ":" + hank + ":::");
        Files.delete(hank);   // hank's home is missing: a temporary failure, retried
        inject("carol@test.example", "pair@test.example", "a pair");
        await("carol's copy", () -> has(carol, "a pair", 1));
        String log = home.home.log().resolve("qmail-send/current").toString();
        await("hank's deferral", () -> {
            try {
                return Files.readString(Path.of(log)).contains("Unable to switch to " + hank);
            } catch (Exception e) {
                return false;
            }
        });
        for (int i = 0; i < 3; i++) {   // qmail's "retry now", as an administrator would
            InjectErrorsIT.run("kill", "-ALRM", Long.toString(home.pid("qmail-send")));
            Thread.sleep(300);
        }
        Files.createDirectories(hank);
        Files.setPosixFilePermissions(hank, PosixFilePermissions.fromString("rwxr-xr-x"));
        maildir(hank);
        InjectErrorsIT.run("kill", "-ALRM", Long.toString(home.pid("qmail-send")));
        await("hank's copy", () -> has(hank.resolve("Maildir"), "a pair", 1));
        awaitEmptyQueue();
        assertEquals(1, messages(carol, "a pair").size(), "hank's retries sent carol nothing more");
    }

    @Test
    void anAliasLoopBouncesOnceNamingTheChain() throws Exception {
        inject("carol@test.example", "loopa@test.example", "round and round");
        await("the bounce", () -> has(carol, "Alias loop", 1));
        awaitEmptyQueue();
        List<String> got = messages(carol, "round and round");
        assertEquals(1, got.size(), "one bounce and no copy through the loop's way out");
        assertTrue(got.get(0).contains("Alias loop: loopa -> loopb -> loopa"), got.get(0));
    }

    @Test
    void aForwardLoopBetweenTwoUsersBouncesOnce() throws Exception {
        write(dir.resolve("dave/.forward"), "erin\n");
        write(dir.resolve("erin/.forward"), "dave@test.example\n");
        inject("carol@test.example", "dave@test.example", "ping pong");
        await("the bounce", () -> has(carol, "ping pong", 1));
        awaitEmptyQueue();
        List<String> got = messages(carol, "ping pong");
        assertEquals(1, got.size());
        assertTrue(got.get(0).contains("looping") && got.get(0).contains("dave@test.example"), got.get(0));
        assertFalse(Files.exists(dir.resolve("dave/Maildir")) || Files.exists(dir.resolve("erin/Maildir")),
            "the .forward files replace the mailboxes");
    }

    @Test
    void aDotForwardPipesIntoAScriptAsItsAccountAndKeepsACopy() throws Exception {
        Path frank = dir.resolve("frank");
        maildir(frank);
        Path script = frank.resolve("filter");
        write(script, "#!/bin/sh\n{ echo \"sender=$SENDER user=$USER home=$HOME\"; cat; } > " + frank.resolve("got")
            + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        write(frank.resolve(".forward"), "\\frank, \"|" + script + "\"\n");
        inject("carol@test.example", "frank@test.example", "filtered");
        await("the copy and the script's output", () -> has(frank.resolve("Maildir"), "filtered", 1)
            && Files.exists(frank.resolve("got")));
        awaitEmptyQueue();
        String got = Files.readString(frank.resolve("got"));
        assertTrue(got.startsWith("sender=carol@test.example user=" + System.getProperty("user.name") + " home=" + frank
            + "\n") || got.startsWith("sender=carol@test.example user=frank home=" + frank + "\n"), got);
        assertTrue(got.contains("body of filtered"), got);
        assertEquals(1, messages(frank.resolve("Maildir"), "filtered").size());
    }

    @Test
    void aDotQmailWinsOverADotForward() throws Exception {
        Path gina = dir.resolve("gina");
        maildir(gina);
        write(gina.resolve(".qmail"), "./Maildir/\n");
        write(gina.resolve(".forward"), "carol@test.example\n");
        inject("carol@test.example", "gina@test.example", "qmail first");
        await("gina's copy", () -> has(gina.resolve("Maildir"), "qmail first", 1));
        awaitEmptyQueue();
        assertEquals(List.of(), messages(carol, "qmail first"), "the .forward is not read");
    }

    @Test
    void anEditedAliasFileIsReportedAndTheOldIndexStillServes() throws Exception {
        Files.writeString(aliases, Files.readString(aliases) + "late: carol\n");
        Thread.sleep(1500);   // qmail-lspawn looks at the index and its source at most once a second
        try {
            inject("carol@test.example", "team@test.example", "stale index");
            await("carol's copy", () -> has(carol, "stale index", 1));
            String log = Files.readString(home.home.log().resolve("qmail-lspawn/current"));
            assertTrue(log.contains(aliases + " changed after"), log);
        } finally {
            newaliases();
        }
    }
}
