package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jqmail queue hold|release|delete|requeue} against the running scheduler, and qstat's age histogram. */
class QueueAdminIT {
    @TempDir
    Path dir;

    @Test
    void holdKeepsReleaseDeliversDeleteRemoves() throws Exception {
        try (TestHome home = new TestHome(dir.resolve("home"))) {
            assertEquals(0, Dist.run(null, "jqmail", "user", "add", "--home", home.dir.toString(), "carol").code());
            home.holdDeliveries();
            home.start();
            String held = inject(home, "token-held");
            String kept = inject(home, "token-kept");
            String gone = inject(home, "token-gone");
            awaitListed(home, List.of(held, kept, gone));

            Dist.Result h = admin(home, "hold", held);
            assertEquals(0, h.code(), h.stderr());
            assertEquals("held 1 message\n", h.stdout());
            assertTrue(Files.exists(home.home.queue().resolve("hold").resolve(held)), "the hold is on disk");
            Dist.Result noConfirm = admin(home, "delete", gone);
            assertEquals(100, noConfirm.code(), "delete wants --yes");
            Dist.Result d = admin(home, "delete", "--yes", gone);
            assertEquals(0, d.code(), d.stderr());
            assertEquals("deleted 1 message\n", d.stdout());
            assertFalse(qread(home).contains("#" + gone + " "), "gone from the listing");
            Dist.Result again = admin(home, "delete", "--yes", gone);
            assertEquals(1, again.code(), "a message that is not there: " + again.stdout());
            assertTrue(again.stderr().contains("no message " + gone), again.stderr());

            // Deliveries resume: everything but the held message is delivered.
            home.control("concurrencylocal", "10");
            home.reread("qmail-send");
            awaitDelivered(home, "token-kept");
            Thread.sleep(1500);
            assertFalse(delivered(home, "token-held"), "held: not delivered");
            assertTrue(qread(home).contains("#" + held + " "), "held: still queued");

            Dist.Result r = admin(home, "release", held);
            assertEquals(0, r.code(), r.stderr());
            awaitDelivered(home, "token-held");
            assertFalse(Files.exists(home.home.queue().resolve("hold").resolve(held)));
            assertFalse(delivered(home, "token-gone"), "deleted: never delivered");
            assertFalse(home.home.queue().resolve("bounce").toFile().list().length > 0, "no bounce for a delete");
        }
    }

    @Test
    void qstatShowsAnAgeHistogramByDomainAndJson() throws Exception {
        try (TestHome home = new TestHome(dir.resolve("home"))) {
            home.holdDeliveries();
            home.start();
            inject(home, "one", "a@one.example", "b@one.example");
            String id = inject(home, "two", "c@two.example");
            awaitListed(home, List.of(id));
            Dist.Result q = home.jqmail("qstat");
            assertEquals(0, q.code(), q.stderr());
            assertTrue(q.stdout().startsWith("messages in queue: 2\nmessages in queue but not yet preprocessed: 0\n"),
                q.stdout());
            assertTrue(q.stdout().matches("(?s).*\\n\\s+TOTAL\\s+3\\s+3\\s.*"), q.stdout());
            assertTrue(q.stdout().matches("(?s).*\\n\\s*one\\.example\\s+2\\s+2\\s.*"), q.stdout());
            Dist.Result plain = Dist.run(home.dir, "qmail-qstat");
            assertEquals(2, plain.stdout().split("\n").length, "qmail-qstat keeps qmail's two lines");
            Dist.Result json = home.jqmail("qstat", "--json");
            assertTrue(json.stdout().contains("{\"domain\":\"two.example\",\"recipients\":[1,0,0,0,0,0,0,0,0,0]}"),
                json.stdout());
        }
    }

    /** mailq and jqmail queue as an ordinary user (nobody): their own messages only, and refused the rest. */
    @Test
    void ordinaryUsersSeeAndTouchOnlyTheirOwnMessages() throws Exception {
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try (TestHome home = new TestHome(dir.resolve("home"))) {
            home.holdDeliveries();
            home.start();
            String roots = inject(home, "token-root");
            String mine = sent(home, () -> asNobody(home,
                ("Subject: token-nobody\n\nx\n").getBytes(StandardCharsets.US_ASCII), "sendmail", "carol@test.example"));

            Dist.Result q = asNobody(home, null, "mailq");
            assertEquals(0, q.code(), q.stderr());
            assertTrue(q.stdout().contains("#" + mine + " "), q.stdout());
            assertFalse(q.stdout().contains("#" + roots + " "), "root's message is not nobody's to see: " + q.stdout());
            Dist.Result all = Dist.run(home.dir, "mailq");
            assertTrue(all.stdout().contains("#" + roots + " ") && all.stdout().contains("#" + mine + " "), all.stdout());

            Dist.Result refused = asNobody(home, null, "jqmail", "queue", "delete", "--yes", roots);
            assertEquals(1, refused.code(), refused.stdout() + refused.stderr());
            assertTrue(refused.stderr().contains("no message " + roots + " of yours"), refused.stderr());
            assertTrue(qread(home).contains("#" + roots + " "), "root's message is still there");
            Dist.Result own = asNobody(home, null, "jqmail", "queue", "delete", "--yes", mine);
            assertEquals(0, own.code(), own.stderr());
            assertFalse(qread(home).contains("#" + mine + " "), "nobody may delete what nobody sent");
        }
    }

    static Dist.Result asNobody(TestHome home, byte[] stdin, String program, String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of("--reuid=65534", "--regid=65534", "--clear-groups", "--",
            Dist.bin(program).toString()));
        a.addAll(List.of(args));
        return Dist.run(home.dir, stdin, Map.of("HOME", "/tmp"), "/usr/bin/setpriv", a.toArray(new String[0]));
    }

    /** Sends one message with sendmail and returns its queue id: the one qread lists that it did not before. */
    static String inject(TestHome home, String token, String... rcpts) throws Exception {
        return sent(home, () -> {
            List<String> args = new ArrayList<>(List.of("-i", "--"));
            args.addAll(rcpts.length == 0 ? List.of("carol@test.example") : List.of(rcpts));
            return Dist.run(home.dir, ("Subject: " + token + "\n\n" + token + "\n").getBytes(StandardCharsets.US_ASCII),
                Map.of(), "sendmail", args.toArray(new String[0]));
        });
    }

    interface Send {
        Dist.Result run() throws Exception;
    }

    static String sent(TestHome home, Send send) throws Exception {
        Set<String> before = ids(qread(home));
        Dist.Result r = send.run();
        assertEquals(0, r.code(), r.stderr());
        for (int i = 0; i < 200; i++) {
            Set<String> now = ids(qread(home));
            now.removeAll(before);
            if (now.size() == 1) {
                return now.iterator().next();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no new message listed:\n" + qread(home));
    }

    static Set<String> ids(String qread) {
        Set<String> out = new HashSet<>();
        Matcher m = Pattern.compile("#(\\d+) ").matcher(qread);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    static Dist.Result admin(TestHome home, String verb, String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of("queue", verb, "--home", home.dir.toString()));
        a.addAll(List.of(args));
        return Dist.run(null, "jqmail", a.toArray(new String[0]));
    }

    static String qread(TestHome home) throws Exception {
        return home.jqmail("qread").stdout();
    }

    static void awaitListed(TestHome home, List<String> ids) throws Exception {
        for (int i = 0; i < 100; i++) {
            String q = qread(home);
            if (ids.stream().allMatch(id -> q.contains("#" + id + " "))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not all of " + ids + " listed:\n" + qread(home));
    }

    static boolean delivered(TestHome home, String token) throws Exception {
        Path nu = home.home.vmail().resolve("test.example/carol/Maildir/new");
        try (var s = Files.list(nu)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.readString(p, StandardCharsets.ISO_8859_1).contains(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    static void awaitDelivered(TestHome home, String token) throws Exception {
        for (int i = 0; i < 300; i++) {
            if (delivered(home, token)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(token + " not delivered\n--- qmail-send's log ---\n"
            + Files.readString(home.home.log().resolve("qmail-send/current"), StandardCharsets.ISO_8859_1));
    }
}
