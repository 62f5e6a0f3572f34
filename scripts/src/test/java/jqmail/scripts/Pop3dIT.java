package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dist/bin/qmail-pop3d as checkpassword starts it: in the user's home, with
 * a relative Maildir name, the client's commands on stdin and its replies on
 * stdout.
 */
class Pop3dIT {
    @TempDir
    Path dir;
    Path jqmailHome;
    Path userHome;
    Path maildir;

    @BeforeEach
    void homes() throws IOException {
        jqmailHome = dir.resolve("jqmail");
        Files.createDirectories(jqmailHome.resolve("control"));
        userHome = dir.resolve("user");
        maildir = userHome.resolve("Maildir");
        for (String sub : new String[] {"tmp", "new", "cur"}) {
            Files.createDirectories(maildir.resolve(sub));
        }
    }

    /** What the program wrote and how it ended. */
    record Session(int code, byte[] stdout, String stderr) {
        Replies replies() {
            return new Replies(stdout);
        }
    }

    private ProcessBuilder pop3d(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Dist.bin("qmail-pop3d").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(userHome.toFile());
        pb.environment().put("JQMAIL_HOME", jqmailHome.toString());
        return pb;
    }

    private Session session(byte[] stdin, String... args) throws Exception {
        Path err = dir.resolve("stderr");
        Process p = pop3d(args).redirectError(err.toFile()).start();
        try (OutputStream o = p.getOutputStream()) {
            o.write(stdin);
        }
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "qmail-pop3d hung");
        return new Session(p.exitValue(), out, Files.readString(err));
    }

    private Session session(String commands) throws Exception {
        return session(commands.getBytes(StandardCharsets.US_ASCII), "Maildir");
    }

    private Path deliver(String name, String content) throws IOException {
        return Files.writeString(maildir.resolve("new").resolve(name), content, StandardCharsets.US_ASCII);
    }

    @Test
    void aPipelinedSessionRetrievesDeletesAndMovesToCur() throws Exception {
        deliver("1700000001.M1P1.host", "Subject: one\n\n.leading dot\nlast line without newline");
        Path two = deliver("1700000002.M2P2.host", "Subject: two\n\nbody\n");
        Files.setLastModifiedTime(two, FileTime.fromMillis(Files.getLastModifiedTime(two).toMillis() + 2000));
        byte[] longLine = new byte[10_000];
        Arrays.fill(longLine, (byte) 'x');
        String commands = "STAT\r\nLIST\r\nUIDL\r\nRETR 1\r\nTOP 2 0\r\n" + new String(longLine, StandardCharsets.US_ASCII)
            + "\r\nDELE 2\r\nSTAT\r\nQUIT\r\n";
        Session s = session(commands);
        assertEquals(0, s.code(), s.stderr());
        assertEquals("", s.stderr());
        Replies r = s.replies();
        assertEquals("+OK logged in", r.line(), "the first line answers PASS");
        String stat = r.line();
        assertTrue(r.line().startsWith("+OK 2 messages"));
        List<String> list = r.lines();
        assertTrue(r.line().startsWith("+OK"));
        assertEquals(List.of("1 1700000001.M1P1.host", "2 1700000002.M2P2.host"), r.lines());
        long size1 = Long.parseLong(list.get(0).split(" ")[1]);
        long size2 = Long.parseLong(list.get(1).split(" ")[1]);
        assertEquals("+OK 2 " + (size1 + size2), stat);
        assertEquals("+OK " + size1 + " octets", r.line());
        byte[] one = r.message();
        assertArrayEquals("Subject: one\r\n\r\n.leading dot\r\nlast line without newline\r\n"
            .getBytes(StandardCharsets.US_ASCII), one);
        assertEquals(size1, one.length, "LIST's size is what RETR sent");
        assertEquals("+OK", r.line());
        assertEquals(List.of("Subject: two", ""), r.lines());
        assertEquals("-ERR line too long", r.line());
        assertEquals("+OK", r.line());
        assertEquals("+OK 1 " + size1, r.line());
        assertEquals("+OK bye", r.line());
        assertEquals(null, r.line());

        assertTrue(Files.notExists(two));
        assertEquals(List.of(), names("new"));
        assertEquals(List.of("1700000001.M1P1.host:2,"), names("cur"));
        Session again = session("UIDL\r\nQUIT\r\n");
        Replies r2 = again.replies();
        r2.line();
        r2.line();
        assertEquals(List.of("1 1700000001.M1P1.host"), r2.lines(), "the same UIDL after the move to cur/");
    }

    /** In a 32 MB heap, a 50 MB message can only go out streamed. */
    @Test
    void aFiftyMegabyteMessageIsStreamedInASmallHeap() throws Exception {
        byte[] line = ("." + "x".repeat(98) + "\n").getBytes(StandardCharsets.US_ASCII);
        try (OutputStream o = Files.newOutputStream(maildir.resolve("new/1.big"))) {
            o.write("Subject: big\n\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 500_000; i++) {
                o.write(line);
            }
        }
        Path err = dir.resolve("stderr");
        ProcessBuilder pb = pop3d("Maildir").redirectError(err.toFile());
        pb.environment().put("JQMAIL_JVM_OPTS", "-Xmx32m");
        Process p = pb.start();
        try (OutputStream o = p.getOutputStream()) {
            o.write("LIST 1\r\nRETR 1\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        Replies r = new Replies(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "qmail-pop3d hung");
        assertEquals(0, p.exitValue(), Files.readString(err));
        r.line();
        long size = Long.parseLong(r.line().split(" ")[2]);
        assertEquals(16 + 500_000L * 101, size);
        assertEquals("+OK " + size + " octets", r.line());
        assertEquals(size, r.message().length);
        assertEquals("+OK bye", r.line());
    }

    @Test
    void aClientThatHangsUpDeletesNothing() throws Exception {
        Path one = deliver("1.a", "Subject: one\n\nx\n");
        Session s = session("DELE 1\r\n");
        assertEquals(0, s.code());
        assertEquals("+OK logged in\r\n+OK\r\n", new String(s.stdout(), StandardCharsets.US_ASCII));
        assertTrue(Files.exists(one));
    }

    @Test
    void anIdleClientIsDroppedAfterTimeoutpop3d() throws Exception {
        Files.writeString(jqmailHome.resolve("control/timeoutpop3d"), "1\n");
        Path one = deliver("1.a", "Subject: one\n\nx\n");
        Process p = pop3d("Maildir").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            p.getOutputStream().write("DELE 1\r\n".getBytes(StandardCharsets.US_ASCII));
            p.getOutputStream().flush();
            long start = System.nanoTime();
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "still running");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20));
            assertEquals("+OK logged in\r\n+OK\r\n-ERR idle too long\r\n", new String(out, StandardCharsets.US_ASCII));
            assertEquals(0, p.exitValue());
            assertTrue(Files.exists(one), "nothing deleted");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aMissingMaildirIsATemporaryErrorOnStdoutAndOneLineOnStderr() throws Exception {
        Session s = session(new byte[0], "NoSuchMaildir");
        assertEquals(111, s.code());
        assertEquals("-ERR [SYS/TEMP] unable to read the maildir\r\n", new String(s.stdout(), StandardCharsets.US_ASCII));
        assertEquals(1, s.stderr().lines().count(), s.stderr());
        assertTrue(s.stderr().startsWith("qmail-pop3d: "), s.stderr());
    }

    @Test
    void aWrongCommandLineIsAUsageError() throws Exception {
        for (String[] args : new String[][] {{}, {"a", "b"}}) {
            Session s = session(new byte[0], args);
            assertEquals(100, s.code());
            assertEquals(0, s.stdout().length);
            assertEquals(List.of("qmail-pop3d: usage: qmail-pop3d maildir"), s.stderr().lines().toList());
        }
    }

    private List<String> names(String sub) throws IOException {
        try (var s = Files.list(maildir.resolve(sub))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The replies in what the program wrote, read the way a client reads them. */
    static final class Replies {
        private final byte[] b;
        private int pos;

        Replies(byte[] b) {
            this.b = b;
        }

        /** One line without its CRLF; null at the end. */
        String line() {
            if (pos == b.length) {
                return null;
            }
            int start = pos;
            while (!(b[pos] == '\r' && b[pos + 1] == '\n')) {
                pos++;
            }
            pos += 2;
            return new String(b, start, pos - 2 - start, StandardCharsets.ISO_8859_1);
        }

        /** A multi-line reply's lines up to ".", unstuffed. */
        List<String> lines() {
            List<String> out = new ArrayList<>();
            for (String l = line(); !l.equals("."); l = line()) {
                out.add(l.startsWith(".") ? l.substring(1) : l);
            }
            return out;
        }

        /** A multi-line reply as the message the client stores: CRLF lines, unstuffed. */
        byte[] message() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (String l : lines()) {
                out.writeBytes((l + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            return out.toByteArray();
        }
    }
}
