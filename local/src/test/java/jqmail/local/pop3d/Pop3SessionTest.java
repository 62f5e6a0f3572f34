package jqmail.local.pop3d;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jqmail.common.smtp.Watchdogs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The session as a client sees it after its PASS, over a real Maildir. */
class Pop3SessionTest {
    @TempDir
    Path tmp;
    TestMaildir maildir;

    @BeforeEach
    void maildir() throws IOException {
        maildir = new TestMaildir(tmp.resolve("Maildir"));
    }

    private PipedClient login() throws IOException {
        PipedClient c = new PipedClient(maildir.dir);
        assertEquals("+OK logged in", c.line(), "the first line answers the front's PASS");
        return c;
    }

    @Test
    void anEmptyMaildirHasNoMessagesAndQuitEndsWithZero() throws Exception {
        try (PipedClient c = login()) {
            assertEquals("+OK 0 0", c.send("STAT"));
            assertEquals("+OK 0 messages (0 octets)", c.send("LIST"));
            assertEquals(List.of(), c.lines());
            assertTrue(c.send("QUIT").startsWith("+OK"));
            assertEquals("", c.rest());
            assertEquals(0, c.exitCode());
        }
    }

    @Test
    void theSizesOfStatAndListAreWhatRetrSends() throws Exception {
        String[] files = {
            "Subject: lf\n\nline one\nline two\n",
            "Subject: crlf\r\n\r\nline one\r\n",
            "Subject: no final newline\n\nlast line",
            "Subject: dots\n\n.\n..\n.x\n",
            "Subject: lone cr\n\na\rb\n",
            "",
        };
        for (int i = 0; i < files.length; i++) {
            maildir.deliver(i + ".m" + i, files[i]);
        }
        try (PipedClient c = login()) {
            long total = 0;
            List<String> list = listing(c, "LIST");
            assertEquals(files.length, list.size());
            for (int i = 1; i <= files.length; i++) {
                long size = Long.parseLong(list.get(i - 1).split(" ")[1]);
                assertEquals("+OK " + i + " " + size, c.send("LIST " + i));
                assertEquals("+OK " + size + " octets", c.send("RETR " + i));
                byte[] got = c.message();
                assertEquals(size, got.length, "message " + i + " as received: " + new String(got));
                total += size;
            }
            assertEquals("+OK " + files.length + " " + total, c.send("STAT"));
        }
    }

    @Test
    void retrSendsCrlfLinesAndDotStuffingRoundTrips() throws Exception {
        maildir.deliver("1.a", "Subject: dots\n\n.\n..\n.hidden\nend.\n");
        try (PipedClient c = login()) {
            assertTrue(c.send("RETR 1").startsWith("+OK"));
            assertArrayEquals("Subject: dots\r\n\r\n.\r\n..\r\n.hidden\r\nend.\r\n".getBytes(StandardCharsets.US_ASCII),
                c.message());
            c.write("RETR 1\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            c.line();
            String wire = c.rest();
            assertTrue(wire.startsWith("Subject: dots\r\n\r\n..\r\n...\r\n..hidden\r\nend.\r\n.\r\n+OK"), wire);
        }
    }

    @Test
    void aMessageWithoutAFinalNewlineGetsCrlfBeforeTheDot() throws Exception {
        maildir.deliver("1.a", "Subject: x\n\nno newline at the end");
        try (PipedClient c = login()) {
            c.write("RETR 1\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(c.rest().contains("\r\nno newline at the end\r\n.\r\n+OK"));
        }
    }

    @Test
    void topSendsTheHeaderTheBlankLineAndExactlyKBodyLines() throws Exception {
        maildir.deliver("1.a", "From: a@example.com\nSubject: top\n\nbody 1\nbody 2\n.body 3\nbody 4\n");
        try (PipedClient c = login()) {
            assertEquals("+OK", c.send("TOP 1 0"));
            assertEquals(List.of("From: a@example.com", "Subject: top", ""), c.lines());
            c.send("TOP 1 2");
            assertEquals(List.of("From: a@example.com", "Subject: top", "", "body 1", "body 2"), c.lines());
            c.send("top 1 3");
            assertEquals(List.of("From: a@example.com", "Subject: top", "", "body 1", "body 2", ".body 3"), c.lines());
            c.send("TOP 1 99999999999999999999999");
            assertEquals(6 + 1, c.lines().size());
            assertEquals("-ERR syntax error", c.send("TOP 1 -1"));
            assertEquals("-ERR syntax error", c.send("TOP 1"));
        }
    }

    @Test
    void uidlsAreTheUniqueNamesAndStayTheSameAcrossSessionsAndTheMoveToCur() throws Exception {
        maildir.deliver("1700000001.M1P2Q3.host", "Subject: 1\n\nx\n");
        maildir.put("cur/1700000002.M4P5Q6.host:2,S", "Subject: 2\n\ny\n".getBytes(StandardCharsets.US_ASCII));
        List<String> first;
        try (PipedClient c = login()) {
            first = listing(c, "UIDL");
            assertEquals(List.of("1 1700000001.M1P2Q3.host", "2 1700000002.M4P5Q6.host"), first);
            assertEquals("+OK 2 1700000002.M4P5Q6.host", c.send("UIDL 2"));
            c.send("QUIT");
        }
        assertEquals(List.of(), maildir.names("new"));
        try (PipedClient c = login()) {
            assertEquals(first, listing(c, "UIDL"));
        }
    }

    @Test
    void deleThenQuitRemovesTheFile() throws Exception {
        Path one = maildir.deliver("1.a", "Subject: 1\n\nx\n");
        maildir.deliver("2.b", "Subject: 2\n\ny\n");
        try (PipedClient c = login()) {
            assertEquals("+OK", c.send("DELE 1"));
            assertTrue(c.send("QUIT").startsWith("+OK"));
            assertEquals(0, c.exitCode());
        }
        assertFalse(Files.exists(one));
        assertEquals(List.of(), maildir.names("new"));
        assertEquals(List.of("2.b:2,"), maildir.names("cur"));
    }

    @Test
    void deleThenAHangUpKeepsTheFile() throws Exception {
        Path one = maildir.deliver("1.a", "Subject: 1\n\nx\n");
        try (PipedClient c = login()) {
            assertEquals("+OK", c.send("DELE 1"));
            c.hangUp();
            assertEquals("", c.rest());
            assertEquals(0, c.exitCode());
        }
        assertTrue(Files.exists(one), "a session that ends without QUIT deletes nothing");
    }

    @Test
    void rsetRestoresDeletedMessages() throws Exception {
        Path one = maildir.deliver("1.a", "Subject: 1\n\nx\n");
        try (PipedClient c = login()) {
            c.send("DELE 1");
            assertEquals("+OK 0 0", c.send("STAT"));
            assertEquals("+OK", c.send("RSET"));
            assertTrue(c.send("STAT").startsWith("+OK 1 "));
            assertTrue(c.send("RETR 1").startsWith("+OK"));
            c.message();
            c.send("QUIT");
        }
        assertFalse(Files.exists(one), "moved to cur/, not deleted");
        assertEquals(List.of("1.a:2,"), maildir.names("cur"));
    }

    @Test
    void aDeletedMessageCannotBeAddressedAndIsLeftOutOfTheListings() throws Exception {
        maildir.deliver("1.a", "Subject: 1\n\nx\n");
        maildir.deliver("2.b", "Subject: 2\n\ny\n");
        try (PipedClient c = login()) {
            c.send("DELE 1");
            assertEquals("-ERR message 1 is deleted", c.send("RETR 1"));
            assertEquals("-ERR message 1 is deleted", c.send("DELE 1"));
            assertEquals("-ERR message 1 is deleted", c.send("LIST 1"));
            assertEquals("-ERR message 1 is deleted", c.send("TOP 1 0"));
            assertEquals(List.of("2 2.b"), listing(c, "UIDL"));
            assertTrue(c.send("STAT").startsWith("+OK 1 "));
            assertEquals("-ERR no such message", c.send("RETR 3"));
            assertEquals("-ERR no such message", c.send("RETR 0"));
            assertEquals("-ERR syntax error", c.send("RETR one"));
            assertEquals("-ERR syntax error", c.send("RETR"));
        }
    }

    @Test
    void quitMovesNewMessagesToCurAndLeavesCurNamesAlone() throws Exception {
        maildir.deliver("1.a", "Subject: 1\n\nx\n");
        maildir.put("cur/2.b:2,RS", "Subject: 2\n\ny\n".getBytes(StandardCharsets.US_ASCII));
        try (PipedClient c = login()) {
            c.send("QUIT");
        }
        assertEquals(List.of(), maildir.names("new"));
        assertEquals(List.of("1.a:2,", "2.b:2,RS"), maildir.names("cur"));
    }

    @Test
    void messagesAreNumberedByMtimeThenName() throws Exception {
        maildir.deliver("z.late", "Subject: first by mtime\n\n");
        maildir.put("cur/a.later:2,", "Subject: second\n\n".getBytes(StandardCharsets.US_ASCII));
        Path b = maildir.deliver("b.same", "Subject: same time, b\n\n");
        Path a = maildir.deliver("a.same", "Subject: same time, a\n\n");
        Files.setLastModifiedTime(a, Files.getLastModifiedTime(b));
        maildir.deliver(".hidden", "Subject: dot files are not messages\n\n");
        try (PipedClient c = login()) {
            assertEquals(List.of("1 z.late", "2 a.later", "3 a.same", "4 b.same"), listing(c, "UIDL"));
        }
    }

    @Test
    void aTenThousandByteLineGetsAnErrorAndTheNextCommandStillWorks() throws Exception {
        maildir.deliver("1.a", "Subject: 1\n\nx\n");
        try (PipedClient c = login()) {
            byte[] line = new byte[10_000];
            Arrays.fill(line, (byte) 'A');
            c.write(line);
            c.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("-ERR line too long", c.line());
            assertTrue(c.send("STAT").startsWith("+OK 1 "));
            String longest = "NOOP" + " ".repeat(CommandReader.MAX_LINE - 6);
            assertEquals("+OK", c.send(longest), "512 bytes with CRLF is still a line");
            assertEquals("-ERR line too long", c.send(longest + " "));
        }
    }

    @Test
    void nulAndEightBitBytesAreErrorsAndTheSessionGoesOn() throws Exception {
        try (PipedClient c = login()) {
            c.write("NOOP\0\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("-ERR commands are printable ASCII", c.line());
            c.write("NOOP \u00e9\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertEquals("-ERR commands are printable ASCII", c.line());
            assertEquals("+OK", c.send("noop"));
        }
    }

    @Test
    void theTwentiethErrorEndsTheSessionWithoutDeleting() throws Exception {
        Path one = maildir.deliver("1.a", "Subject: 1\n\nx\n");
        try (PipedClient c = login()) {
            c.send("DELE 1");
            for (int i = 1; i < Pop3Session.MAX_ERRORS; i++) {
                assertEquals("-ERR unknown command", c.send("XYZZY"));
            }
            assertEquals("-ERR too many errors", c.send("XYZZY"));
            assertEquals("", c.rest());
            assertEquals(0, c.exitCode());
        }
        assertTrue(Files.exists(one));
    }

    @Test
    void loginCommandsAreRefusedAfterLogin() throws Exception {
        try (PipedClient c = login()) {
            for (String cmd : new String[] {"USER bob", "PASS secret", "APOP bob 0123", "AUTH PLAIN", "STLS"}) {
                assertEquals("-ERR already authenticated", c.send(cmd));
            }
            assertEquals("+OK", c.send("NOOP"));
        }
    }

    @Test
    void capaListsWhatThisStateOffersAndNoImplementation() throws Exception {
        try (PipedClient c = login()) {
            assertEquals("+OK capability list follows", c.send("CAPA"));
            assertEquals(List.of("TOP", "UIDL", "RESP-CODES", "PIPELINING"), c.lines());
        }
    }

    @Test
    void lastIsTheHighestMessageRetrievedUntilRset() throws Exception {
        maildir.deliver("1.a", "Subject: 1\n\nx\n");
        maildir.deliver("2.b", "Subject: 2\n\ny\n");
        try (PipedClient c = login()) {
            assertEquals("+OK 0", c.send("LAST"));
            c.send("RETR 2");
            c.message();
            c.send("RETR 1");
            c.message();
            assertEquals("+OK 2", c.send("LAST"));
            c.send("RSET");
            assertEquals("+OK 0", c.send("LAST"));
        }
    }

    @Test
    void aMessageRemovedByAnotherSessionGetsAnErrorAndTheSessionGoesOn() throws Exception {
        Path one = maildir.deliver("1.a", "Subject: 1\n\nx\n");
        maildir.deliver("2.b", "Subject: 2\n\ny\n");
        try (PipedClient c = login()) {
            Files.delete(one);
            assertEquals("-ERR message 1 is gone", c.send("RETR 1"));
            assertEquals("+OK 1 0", c.send("LIST 1"));
            assertEquals("+OK", c.send("DELE 1"));
            assertTrue(c.send("RETR 2").startsWith("+OK"));
            c.message();
            assertTrue(c.send("QUIT").startsWith("+OK"), "a message gone already counts as removed");
            assertEquals(0, c.exitCode());
        }
    }

    @Test
    void aMessageAnotherSessionMovedToCurIsFoundByItsUniqueName() throws Exception {
        Path one = maildir.deliver("1.a", "Subject: 1\n\nx\n");
        try (PipedClient c = login()) {
            Files.move(one, maildir.dir.resolve("cur/1.a:2,S"));
            assertTrue(c.send("RETR 1").startsWith("+OK"));
            assertArrayEquals("Subject: 1\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII), c.message());
            c.send("DELE 1");
            c.send("QUIT");
        }
        assertEquals(List.of(), maildir.names("cur"));
    }

    @Test
    @Timeout(20)
    void anIdleClientIsDroppedAndNothingIsDeleted() throws Exception {
        Path one = maildir.deliver("1.a", "Subject: 1\n\nx\n");
        PipedClient c = new PipedClient(maildir.dir, 300);
        c.line();
        assertEquals("+OK", c.send("DELE 1"));
        assertEquals("", c.rest(), "the session ends by itself");
        assertEquals(0, c.exitCode());
        assertTrue(Files.exists(one));
    }

    /** Pipelined commands read in one go are answered in one write, after the greeting's. */
    @Test
    void pipelinedRepliesGoOutInOneWrite() throws Exception {
        maildir.deliver("1.a", "Subject: 1\n\nx\n");
        List<String> writes = new ArrayList<>();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(new String(b, off, len, StandardCharsets.US_ASCII));
            }
        };
        byte[] in = "STAT\r\nLIST\r\nRETR 1\r\nDELE 1\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII);
        try (Watchdogs.Watchdog idle = new Watchdogs().watchdog(() -> { })) {
            int code = new Pop3Session(Mailbox.open(maildir.dir), new ByteArrayInputStream(in), out, idle, 60_000)
                .run();
            assertEquals(0, code);
        }
        assertEquals(2, writes.size(), writes.toString());
        assertEquals("+OK logged in\r\n", writes.get(0));
        assertTrue(writes.get(1).startsWith("+OK 1 17\r\n+OK 1 messages (17 octets)\r\n1 17\r\n.\r\n+OK 17 octets\r\n"),
            writes.get(1));
        assertTrue(writes.get(1).endsWith("+OK\r\n+OK bye\r\n"), writes.get(1));
        assertEquals(List.of(), maildir.names("new"));
    }

    private static List<String> listing(PipedClient c, String command) throws IOException {
        assertTrue(c.send(command).startsWith("+OK"));
        return c.lines();
    }
}
