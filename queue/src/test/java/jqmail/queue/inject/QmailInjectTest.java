package jqmail.queue.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import jqmail.common.Home;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** qmail-inject -n: the message exactly as it would be queued, for each header rule. */
class QmailInjectTest {
    @TempDir
    Path dir;
    Home home;
    Map<String, String> env = new HashMap<>(Map.of("USER", "joe"));

    @BeforeEach
    void controls() throws Exception {
        home = new Home(dir);
        Files.createDirectories(home.control());
        Files.writeString(home.control().resolve("me"), "mx.example.com\n");
        Files.writeString(home.control().resolve("defaulthost"), "example.com\n");
        Files.writeString(home.control().resolve("defaultdomain"), "example.com\n");
        Files.writeString(home.control().resolve("plusdomain"), "example.com\n");
    }

    record Run(int code, String out, String err) {
    }

    Run inject(String message, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 1];
        all[0] = "-n";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = QmailInjectMain.run(all, home, env, new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)),
            out, new PrintStream(err, true));
        return new Run(code, out.toString(StandardCharsets.ISO_8859_1), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void addressesInTheHeaderAreCompleted() {
        Run r = inject("To: fred, \"Jane Q\" <jane@mail>, bob@host+\nCc: Friends: ann@x.org, al;\nSubject: s\n\nbody\n");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.startsWith("To: fred@example.com, \"Jane Q\" <jane@mail.example.com>, bob@host.example.com\n"
            + "Cc: Friends: ann@x.org, al@example.com;\nSubject: s\n"), r.out);
        assertTrue(r.out.endsWith("\n\nbody\n"), r.out);
    }

    /** cron's {@code sendmail root} on a host named vm: root@vm, not qmail's root@vm.vm, which names no host. */
    @Test
    void aDotlessMeIsNoDefaultDomain() throws Exception {
        Files.writeString(home.control().resolve("me"), "vm\n");
        Files.delete(home.control().resolve("defaulthost"));
        Files.delete(home.control().resolve("defaultdomain"));
        Run r = inject("To: root, ops@box\nSubject: cron\n\nout\n");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.startsWith("To: root@vm, ops@box\n"), r.out);
        Files.writeString(home.control().resolve("defaultdomain"), "example.com\n");
        assertTrue(inject("To: root\n\nx\n").out.startsWith("To: root@vm.example.com\n"), "a defaultdomain file still counts");
    }

    @Test
    void missingFieldsAreAddedAndPresentOnesKept() {
        Run r = inject("To: a@b.example\n\nx\n");
        assertTrue(r.out.matches("To: a@b\\.example\nDate: \\d{1,2} [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d -0000\n"
            + "Message-ID: <\\d{14}\\.\\d+\\.[0-9a-f]+@mx\\.example\\.com>\nFrom: joe@example\\.com\n\nx\n"), r.out);
        Run kept = inject("Date: Mon, 2 Nov 2026 10:00:00 +0100\nMessage-ID: <a@b>\nFrom: Me <me@x.example>\n"
            + "To: a@b.example\n\nx\n");
        assertEquals("Date: Mon, 2 Nov 2026 10:00:00 +0100\nMessage-ID: <a@b>\nFrom: Me <me@x.example>\n"
            + "To: a@b.example\n\nx\n", kept.out);
    }

    @Test
    void bccReturnPathAndContentLengthAreRemoved() {
        Run r = inject("To: a@b.example\nBcc: secret@c.example,\n  other@d.example\nReturn-Path: <x@y.example>\n"
            + "Content-Length: 99\nSubject: s\n\nx\n");
        assertFalse(r.out.contains("Bcc") || r.out.contains("secret") || r.out.contains("other@"), r.out);
        assertFalse(r.out.contains("Return-Path") || r.out.contains("Content-Length"), r.out);
    }

    @Test
    void nobodyVisibleGetsAnEmptyGroup() {
        Run r = inject("Bcc: hidden@c.example\n\nx\n");
        assertTrue(r.out.contains("\nCc: recipient list not shown: ;\n"), r.out);
    }

    @Test
    void resentMessagesGetResentFields() {
        Run r = inject("From: orig@x.example\nDate: Mon, 2 Nov 2026 10:00:00 +0100\nTo: a@b.example\n"
            + "Resent-To: fwd@c.example\n\nx\n");
        assertTrue(r.out.contains("\nResent-Date: "), r.out);
        assertTrue(r.out.contains("\nResent-Message-ID: <"), r.out);
        assertTrue(r.out.contains("\nResent-From: joe@example.com\n"), r.out);
        assertEquals(1, r.out.split("\nDate: ", -1).length - 1 + (r.out.startsWith("Date: ") ? 1 : 0), r.out);
    }

    @Test
    void fromNameFlagsAndFollowupTo() throws Exception {
        env.put("QMAILNAME", "Joe Q. Public");
        assertTrue(inject("To: a@b.example\n\nx\n").out.contains("\nFrom: \"Joe Q. Public\" <joe@example.com>\n"));
        env.put("QMAILINJECT", "c");
        assertTrue(inject("To: a@b.example\n\nx\n").out.contains("\nFrom: joe@example.com (Joe Q. Public)\n"));
        env.put("QMAILINJECT", "fi");
        Run replaced = inject("From: old@x.example\nMessage-ID: <old@x>\nTo: a@b.example\n\nx\n");
        assertFalse(replaced.out.contains("old@"), replaced.out);
        Path lists = Files.writeString(dir.resolve("mft"), "list@lists.example\n");
        env.remove("QMAILINJECT");
        env.put("QMAILMFTFILE", lists.toString());
        Run mft = inject("To: List@Lists.example\nCc: joe@example.com\n\nx\n");
        assertTrue(mft.out.contains("\nMail-Followup-To: List@Lists.example, joe@example.com\n"), mft.out);
    }

    @Test
    void headerWithoutBlankLineAndCrLf() {
        Run r = inject("To: a@b.example\r\nSubject: s\r\nthis line is body\r\nmore\r\n");
        assertTrue(r.out.contains("Subject: s\n"), r.out);
        assertTrue(r.out.endsWith("\n\nthis line is body\nmore\n"), "a blank line inserted, CR LF stored as LF: " + r.out);
    }

    @Test
    void noRecipientsAndBadAddressesAreRefused() {
        Run none = inject("Subject: s\n\nx\n");
        assertEquals(100, none.code);
        assertTrue(none.err.startsWith("qmail-inject: fatal: no recipients"), none.err);
        Run bad = inject("Subject: s\n\nx\n", "a b@c.example");
        assertEquals(100, bad.code);
        assertEquals(1, bad.err.lines().count(), bad.err);
        Run usage = inject("x\n", "-Q");
        assertEquals(100, usage.code);
    }

    @Test
    void aHugeHeaderStopsBeingRewrittenButPassesWhole() {
        StringBuilder b = new StringBuilder("To: a@b.example\n");
        while (b.length() < Headers.MAX + 10_000) {
            b.append("X-Filler: ").append("y".repeat(70)).append('\n');
        }
        b.append("\nbody\n");
        Run r = inject(b.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.startsWith("To: a@b.example\n"), "rewriting of the first fields still happens");
        assertTrue(r.out.endsWith(b.substring(Headers.MAX + 1000)), "the rest passes unchanged");
    }

    @Test
    void lineEndsStreamWithCrLfSplitAcrossReads() throws Exception {
        Random rnd = new Random(42);
        for (int round = 0; round < 2000; round++) {
            byte[] in = new byte[rnd.nextInt(40)];
            for (int i = 0; i < in.length; i++) {
                in[i] = (byte) "ab\r\n".charAt(rnd.nextInt(4));
            }
            String expected = new String(in, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
            InputStream s = new LineEnds(new TrickleStream(in, rnd));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[1 + rnd.nextInt(5)];
            for (int n; (n = s.read(buf, 0, buf.length)) >= 0; ) {
                got.write(buf, 0, n);
            }
            assertEquals(expected, got.toString(StandardCharsets.ISO_8859_1), "round " + round);
        }
    }

    /** An input stream that returns a few bytes at a time, as a pipe does. */
    static final class TrickleStream extends InputStream {
        private final byte[] b;
        private final Random rnd;
        private int pos;

        TrickleStream(byte[] b, Random rnd) {
            this.b = b;
            this.rnd = rnd;
        }

        @Override
        public int read() {
            return pos < b.length ? b[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] out, int off, int len) {
            if (pos >= b.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + rnd.nextInt(3)), b.length - pos);
            System.arraycopy(b, pos, out, off, n);
            pos += n;
            return n;
        }
    }
}
