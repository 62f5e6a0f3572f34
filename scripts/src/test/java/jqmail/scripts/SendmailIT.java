package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sendmail interface as programs use it: bsd-mailx, a Python program's
 * {@code sendmail -t -i}, git send-email's {@code sendmail -f X -i -- rcpts},
 * each message read back from the recipients' Maildirs; the errors scripts
 * see; and mailq and sendmail -q.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SendmailIT {
    @TempDir
    static Path dir;
    TestHome home;

    @BeforeAll
    void start() throws Exception {
        home = new TestHome(dir.resolve("home"));
        for (String u : new String[] {"carol", "dave", "erin"}) {
            Dist.Result r = Dist.run(null, "jqmail", "user", "add", "--home", home.dir.toString(), u);
            assertEquals(0, r.code(), r.stderr());
        }
        home.start();
    }

    @AfterAll
    void stop() throws Exception {
        home.close();
    }

    Path maildir(String user) {
        return home.home.vmail().resolve("test.example/" + user + "/Maildir/new");
    }

    /** Waits for the one new message in {@code user}'s Maildir that contains {@code token}. */
    String awaitMessage(String user, String token) throws Exception {
        for (int i = 0; i < 300; i++) {
            try (var s = Files.list(maildir(user))) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    String m = Files.readString(p, StandardCharsets.ISO_8859_1);
                    if (m.contains(token)) {
                        return m;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(user + " never got " + token + "\n" + home.log());
    }

    boolean hasMessage(String user, String token) throws Exception {
        try (var s = Files.list(maildir(user))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.readString(p, StandardCharsets.ISO_8859_1).contains(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    static String header(String message) {
        int end = message.indexOf("\n\n");
        return end < 0 ? message : message.substring(0, end + 1);
    }

    static int count(String text, String field) {
        return text.split("\n" + Pattern.quote(field), -1).length - 1;
    }

    @Test
    void bsdMailxSendsThroughOurSendmail() throws Exception {
        Path rc = Files.writeString(dir.resolve("mailrc"), "set sendmail=" + Dist.bin("sendmail") + "\n");
        ProcessBuilder pb = new ProcessBuilder("bsd-mailx", "-s", "mailx token-mailx", "-c", "dave@test.example",
            "-b", "erin@test.example", "carol@test.example");
        pb.environment().put("MAILRC", rc.toString());
        pb.environment().put("JQMAIL_HOME", home.dir.toString());
        pb.environment().put("USER", "mona");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        try (var o = p.getOutputStream()) {
            o.write("hello from mailx\n".getBytes(StandardCharsets.US_ASCII));
        }
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), said);
        for (String u : new String[] {"carol", "dave", "erin"}) {
            String m = awaitMessage(u, "token-mailx");
            String h = header(m);
            assertFalse(h.contains("\nBcc:"), "Bcc removed for " + u + ":\n" + m);
            assertTrue(h.contains("\nTo: carol@test.example\n"), m);
            assertTrue(h.contains("\nCc: dave@test.example\n"), m);
            assertEquals(1, count(h, "Date: "), m);
            assertEquals(1, count(h, "Message-ID: <"), m);
            assertTrue(h.contains("\nFrom: mona@test.example\n"), m);
            assertTrue(m.startsWith("Return-Path: <mona@test.example>\n"), m);
            assertTrue(m.endsWith("\n\nhello from mailx\n"), m);
        }
    }

    @Test
    void pythonSubprocessSendmailMinusTMinusI() throws Exception {
        String script = """
            import subprocess, sys
            msg = (b"From: App <app@example.org>\\r\\nTo: Carol <carol@test.example>\\r\\n"
                   b"Bcc: dave@test.example\\r\\nDate: Mon, 2 Nov 2026 10:00:00 +0100\\r\\n"
                   b"Message-ID: <kept.1@example.org>\\r\\nSubject: token-python\\r\\n\\r\\n"
                   b"line\\r\\n.\\r\\nafter a lone dot\\r\\n")
            r = subprocess.run([sys.argv[1], "-t", "-i"], input=msg)
            sys.exit(r.returncode)
            """;
        Path py = Files.writeString(dir.resolve("send.py"), script);
        Dist.Result r = runWithHome("python3", py.toString(), Dist.bin("sendmail").toString());
        assertEquals(0, r.code(), r.stderr());
        for (String u : new String[] {"carol", "dave"}) {
            String m = awaitMessage(u, "token-python");
            String h = header(m);
            assertFalse(h.contains("\nBcc:"), m);
            assertEquals(1, count(h, "Date: "), "the message's own Date kept, none added:\n" + m);
            assertTrue(h.contains("\nDate: Mon, 2 Nov 2026 10:00:00 +0100\n"), m);
            assertTrue(h.contains("\nMessage-ID: <kept.1@example.org>\n"), m);
            assertEquals(1, count(h, "Message-ID: "), m);
            assertTrue(h.contains("\nFrom: App <app@example.org>\n"), m);
            assertTrue(m.endsWith("\n\nline\n.\nafter a lone dot\n"), "-i: a lone dot is text, CRLF stored as LF:\n" + m);
        }
    }

    @Test
    void gitSendEmailStyleSenderAndRecipientsOnTheCommandLine() throws Exception {
        byte[] msg = ("From: Dev <dev@example.org>\nTo: list@example.org\nSubject: [PATCH] token-git\n"
            + "Date: Sun, 22 Nov 2026 06:00:00 +0000\nMessage-ID: <patch.1@example.org>\n\n---\n diff\n")
            .getBytes(StandardCharsets.US_ASCII);
        Dist.Result r = Dist.run(home.dir, msg, Map.of(), "sendmail", "-f", "dev@example.org", "-i", "--",
            "carol@test.example", "dave@test.example");
        assertEquals(0, r.code(), r.stderr());
        for (String u : new String[] {"carol", "dave"}) {
            String m = awaitMessage(u, "token-git");
            assertTrue(m.startsWith("Return-Path: <dev@example.org>\n"), "-f is the envelope sender:\n" + m);
            assertTrue(header(m).contains("\nTo: list@example.org\n"), "To: kept, not used for delivery:\n" + m);
        }
    }

    @Test
    void malformedRecipientsFailAtOnceAndQueueNothing() throws Exception {
        byte[] msg = "Subject: token-bad\n\nx\n".getBytes(StandardCharsets.US_ASCII);
        String[][] bad = {{"bad address@test.example"}, {"carol@test.example", "dave@@test.example"},
            {"<carol@test.example"}, {"carol@test..example"}};
        for (String[] rcpts : bad) {
            List<String> args = new ArrayList<>(List.of("-i", "--"));
            args.addAll(List.of(rcpts));
            Dist.Result r = Dist.run(home.dir, msg, Map.of(), "sendmail", args.toArray(new String[0]));
            assertEquals(67, r.code(), "EX_NOUSER for " + args + ": " + r.stderr());
            assertEquals(1, r.errLines().size(), r.stderr());
            assertTrue(r.stderr().startsWith("sendmail: bad recipient address <"), r.stderr());
        }
        Dist.Result none = Dist.run(home.dir, "Subject: x\n\nno one\n".getBytes(StandardCharsets.US_ASCII), Map.of(),
            "sendmail", "-t", "-i");
        assertEquals(64, none.code(), none.stderr());
        assertEquals(1, none.errLines().size(), none.stderr());
        Dist.Result option = Dist.run(home.dir, msg, Map.of(), "sendmail", "-Z", "carol@test.example");
        assertEquals(64, option.code(), option.stderr());
        Dist.Result f = Dist.run(home.dir, msg, Map.of(), "sendmail", "-f");
        assertEquals(64, f.code(), f.stderr());
        Dist.Result inject = Dist.run(home.dir, msg, Map.of(), "qmail-inject", "bad address@test.example");
        assertEquals(100, inject.code(), inject.stderr());
        Thread.sleep(500);
        assertFalse(hasMessage("carol", "token-bad"), "nothing was queued for the good recipient either");
        try (var s = Files.list(home.queue.maildrop())) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void ignoredFlagsAreAcceptedAsSendmailUsersExpect() throws Exception {
        byte[] msg = "Subject: token-flags\n\nx\n".getBytes(StandardCharsets.US_ASCII);
        Dist.Result r = Dist.run(home.dir, msg, Map.of(), "sendmail", "-oi", "-oem", "-oee", "-odb", "-B", "8BITMIME",
            "-i", "-v", "-F", "Carol Q. Sender", "-f", "sender@test.example", "carol@test.example");
        assertEquals(0, r.code(), r.stderr());
        String m = awaitMessage("carol", "token-flags");
        assertTrue(header(m).contains("\nFrom: \"Carol Q. Sender\" <sender@test.example>\n"), m);
    }

    @Test
    void sendmailMinusQRetriesADeferredMessageNow() throws Exception {
        Path flag = dir.resolve("flag");
        Path out = dir.resolve("flaky.out");
        Files.writeString(home.home.alias().resolve(".qmail-flaky"),
            "|if [ -e " + flag + " ]; then cat > " + out + ".tmp && mv " + out + ".tmp " + out + "; else exit 111; fi\n");
        Dist.Result r = Dist.run(home.dir, "Subject: token-flaky\n\nx\n".getBytes(StandardCharsets.US_ASCII), Map.of(),
            "sendmail", "flaky@test.example");
        assertEquals(0, r.code(), r.stderr());
        String id = awaitDeferral("token-flaky");
        Dist.Result q = Dist.run(home.dir, "mailq");
        assertEquals(0, q.code(), q.stderr());
        assertTrue(q.stdout().contains("#" + id + " ") && q.stdout().contains("\tlocal\tflaky@test.example"),
            q.stdout());
        Files.writeString(flag, "");
        Dist.Result flush = Dist.run(home.dir, "sendmail", "-q");
        assertEquals(0, flush.code(), flush.stderr());
        for (int i = 0; i < 100 && !Files.exists(out); i++) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(out), "delivered at once after sendmail -q, not 100 s later\n"
            + Files.readString(home.home.log().resolve("qmail-send/current"), StandardCharsets.ISO_8859_1));
        assertTrue(Files.readString(out).contains("token-flaky"));
    }

    /** The id of the message whose first delivery attempt was deferred (from qmail-send's log). */
    String awaitDeferral(String token) throws Exception {
        Pattern start = Pattern.compile("starting delivery (\\d+): msg (\\d+) to local flaky@test.example");
        for (int i = 0; i < 300; i++) {
            String log = Files.readString(home.home.log().resolve("qmail-send/current"), StandardCharsets.ISO_8859_1);
            Matcher m = start.matcher(log);
            while (m.find()) {
                if (log.contains("delivery " + m.group(1) + ": deferral")) {
                    return m.group(2);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no deferral for " + token + "\n" + home.log());
    }

    Dist.Result runWithHome(String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JQMAIL_HOME", home.dir.toString());
        Path o = Files.createTempFile(dir, "o", "");
        Path e = Files.createTempFile(dir, "e", "");
        pb.redirectOutput(o.toFile()).redirectError(e.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        int code = p.waitFor();
        return new Dist.Result(code, Files.readString(o), Files.readString(e));
    }
}
