package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import jqmail.common.Address;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conversation suite: client lines and the reply codes they must get,
 * over real sockets, against the real tcpserver process running SMTP
 * sessions, with the real queue daemon behind it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmtpConversationIT {
    @TempDir
    static Path dir;
    SmtpHome smtp;

    @BeforeAll
    void start() throws Exception {
        smtp = new SmtpHome(dir.resolve("home"), SmtpHome.RULES, false);
    }

    @AfterAll
    void stop() throws Exception {
        smtp.close();
    }

    @BeforeEach
    void emptyQueue() throws Exception {
        // The scheduler may move a file from todo/ to mess/ meanwhile: walk again until nothing is left.
        for (int pass = 0; pass < 100 && !smtp.home.queue.walk().isEmpty(); pass++) {
            for (var e : smtp.home.queue.walk()) {
                Files.deleteIfExists(e.file());
            }
        }
        for (String f : new String[] {"databytes", "timeoutsmtpd", "badmailfrom", "maxrcpt", "unknownrcpt"}) {
            Files.deleteIfExists(smtp.home.home.control().resolve(f));
        }
    }

    /** A new session as a stranger (127.0.0.1 may not relay); a subclass runs the suite over another way in. */
    SmtpClient connect() throws Exception {
        return smtp.connect();
    }

    /** The EHLO keywords: tcpserver offers STARTTLS (setup made control/servercert.pem). */
    List<String> ehlo(String size) {
        return List.of("test.example", "PIPELINING", "8BITMIME", "SIZE " + size, "STARTTLS", "ENHANCEDSTATUSCODES");
    }

    /** How the Received line names the client: no reverse DNS, so tcpserver's clients are "unknown". */
    String remoteName() {
        return "unknown";
    }

    SmtpClient hello() throws Exception {
        SmtpClient c = connect();
        c.expect(220);
        c.send("EHLO client.example").expect(250);
        return c;
    }

    @Test
    void greetingEhloAndHelpNameNoSoftware() throws Exception {
        try (SmtpClient c = connect()) {
            SmtpClient.Response g = c.expect(220);
            assertEquals("test.example ESMTP", g.text());
            SmtpClient.Response e = c.send("EHLO client.example").expect(250);
            assertEquals(ehlo("31457280"), e.lines());
            String help = c.send("HELP").expect(214).text();
            for (String s : new String[] {g.text(), String.join(" ", e.lines()), help}) {
                String l = s.toLowerCase(Locale.ROOT);
                assertFalse(l.contains("jqmail") || l.contains("java") || l.contains("qmail"), s);
            }
            c.send("HELO client.example").expect(250);
            c.send("HELO").expect(501);
            c.send("EHLO").expect(501);
            c.send("NOOP").expect(250);
            c.send("VRFY alice").expect(252);
            c.send("RSET").expect(250);
            c.send("RSET now").expect(501);
            c.send("EXPN staff").expect(502);
            c.send("BDAT 10 LAST").expect(502);
            c.send("QUIT").expect(221);
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void commandsOutOfSequence() throws Exception {
        try (SmtpClient c = hello()) {
            c.send("RCPT TO:<alice@test.example>").expect(503);
            c.send("DATA").expect(503);
            c.send("MAIL FROM:<a@example.org>").expect(250);
            c.send("MAIL FROM:<b@example.org>").expect(503);
            c.send("DATA").expect(503);
            c.send("RSET").expect(250);
            c.send("MAIL FROM:<b@example.org>").expect(250);
        }
        try (SmtpClient c = connect()) {
            c.expect(220);
            c.send("MAIL FROM:<no-helo@example.org>").expect(250);
        }
    }

    @Test
    void mailParameters() throws Exception {
        try (SmtpClient c = hello()) {
            c.send("MAIL FROM:<a@example.org> SIZE=31457281").expect(552);
            c.send("MAIL FROM:<a@example.org> SIZE=lots").expect(501);
            c.send("MAIL FROM:<a@example.org> SMTPUTF8").expect(555);
            c.send("MAIL FROM:<a@example.org> BODY=BINARYMIME").expect(501);
            c.send("MAIL FROM:<a@example.org> SIZE=1000 BODY=8BITMIME").expect(250);
            c.send("RCPT TO:<alice@test.example> NOTIFY=NEVER").expect(555);
            c.send("RSET").expect(250);
            c.send("MAIL FROM:<a@example.org").expect(501);
        }
    }

    @Test
    void relayAndRecipients() throws Exception {
        try (SmtpClient c = hello()) {
            c.send("MAIL FROM:<a@example.org>").expect(250);
            c.send("RCPT TO:<someone@elsewhere.example>").expect(553);
            c.send("RCPT TO:<ghost@test.example>").expect(550);
            c.send("RCPT TO:<alice@test.example>").expect(250);
            c.send("RCPT TO:<ALICE-ext@Test.Example>").expect(250);
            c.send("RCPT TO:<abuse@test.example>").expect(250);
            c.send("RCPT TO:<PostMaster@test.example>").expect(250);
            c.send("RCPT TO:<postmaster>").expect(250);
            c.send("RCPT TO:<alice@[127.0.0.1]>").expect(250);
            c.send("RCPT TO:<alice@[IPv6:::1]>").expect(250);
            c.send("RCPT TO:<bad address@test.example>").expect(501);
        }
        try (SmtpClient c = smtp.connect("127.0.0.2")) {
            c.expect(220);
            c.send("EHLO relay.example", "MAIL FROM:<a@example.org>", "RCPT TO:<someone@elsewhere.example>");
            c.expect(250);
            c.expect(250);
            c.expect(250);
        }
    }

    @Test
    void unknownRecipientsDiscardedOrBounced() throws Exception {
        for (String policy : new String[] {"discard", "bounce"}) {
            emptyQueue();
            smtp.home.control("unknownrcpt", policy);
            try (SmtpClient c = hello()) {
                c.send("MAIL FROM:<a@example.org>", "RCPT TO:<ghost@test.example>", "RCPT TO:<alice@test.example>",
                    "DATA");
                c.expect(250);
                c.expect(250);
                c.expect(250);
                c.expect(354);
                c.raw("Subject: " + policy + "\r\n\r\nx\r\n.\r\n").expect(250);
            }
            List<Address> rcpts = smtp.stored().get(0).envelope().recipients();
            assertEquals(policy.equals("discard") ? List.of(new Address("alice@test.example"))
                : List.of(new Address("ghost@test.example"), new Address("alice@test.example")), rcpts, policy);
        }
        emptyQueue();
        smtp.home.control("unknownrcpt", "discard");
        try (SmtpClient c = hello()) {
            c.send("MAIL FROM:<a@example.org>", "RCPT TO:<ghost@test.example>", "DATA");
            c.expect(250);
            c.expect(250);
            c.expect(354);
            c.raw("Subject: to nobody\r\n\r\nx\r\n.\r\n").expect(250);
        }
        assertEquals(List.of(), smtp.stored(), "mail for nobody but discarded recipients is accepted and dropped");
    }

    @Test
    void badmailfromRefusesEveryRecipient() throws Exception {
        smtp.home.control("badmailfrom", "@spam.example");
        try (SmtpClient c = hello()) {
            c.send("MAIL FROM:<x@SPAM.example>").expect(250);
            c.send("RCPT TO:<alice@test.example>").expect(553);
            c.send("RCPT TO:<postmaster@test.example>").expect(553);
        }
    }

    @Test
    void pipelinedTransactionInOneWrite() throws Exception {
        try (SmtpClient c = connect()) {
            c.expect(220);
            c.send("EHLO p.example", "MAIL FROM:<a@example.org>", "RCPT TO:<alice@test.example>",
                "RCPT TO:<ghost@test.example>", "RCPT TO:<abuse@test.example>", "DATA");
            c.expect(250);
            c.expect(250);
            c.expect(250);
            c.expect(550);
            c.expect(250);
            c.expect(354);
            c.raw("Subject: pipelined\r\n\r\nbody\r\n.\r\nQUIT\r\n");
            assertTrue(c.expect(250).text().matches("2\\.0\\.0 ok \\d+"));
            c.expect(221);
        }
        List<TestHome.Stored> s = smtp.stored();
        assertEquals(1, s.size());
        assertEquals(List.of(new Address("alice@test.example"), new Address("abuse@test.example")),
            s.get(0).envelope().recipients());
        assertTrue(s.get(0).message().matches("(?s)Received: from " + remoteName() + " \\(HELO p\\.example\\) \\(127\\.0\\.0\\.1\\)\n"
            + "  by test\\.example with ESMTP; [^\n]+ -0000\nSubject: pipelined\n\nbody\n"), s.get(0).message());
    }

    @Test
    void hundredRecipients() throws Exception {
        try (SmtpClient c = hello()) {
            c.send("MAIL FROM:<list@example.org>").expect(250);
            for (int i = 0; i < 100; i++) {
                c.send("RCPT TO:<alice-" + i + "@test.example>").expect(250);
            }
            c.send("DATA").expect(354);
            c.raw("Subject: many\r\n\r\nto all\r\n.\r\n").expect(250);
        }
        assertEquals(100, smtp.stored().get(0).envelope().recipients().size());
    }

    @Test
    void maxrcptGives452() throws Exception {
        smtp.home.control("maxrcpt", "3");
        try (SmtpClient c = hello()) {
            c.send("MAIL FROM:<list@example.org>").expect(250);
            for (int i = 0; i < 3; i++) {
                c.send("RCPT TO:<alice-" + i + "@test.example>").expect(250);
            }
            c.send("RCPT TO:<alice-x@test.example>").expect(452);
        }
    }

    @Test
    void twentyMebibyteMessageArrivesByteExact() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        java.util.Random r = new java.util.Random(7);
        wire.writeBytes("Subject: big\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        stored.writeBytes("Subject: big\n\n".getBytes(StandardCharsets.US_ASCII));
        while (stored.size() < 20 << 20) {
            StringBuilder line = new StringBuilder();
            if (r.nextInt(50) == 0) {
                line.append('.');
            }
            for (int i = 0, n = r.nextInt(120); i < n; i++) {
                line.append((char) (32 + r.nextInt(95)));
            }
            String l = line.toString();
            wire.writeBytes(((l.startsWith(".") ? "." : "") + l + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            stored.writeBytes((l + "\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        wire.writeBytes(".\r\n".getBytes(StandardCharsets.US_ASCII));
        try (SmtpClient c = hello()) {
            c.send("MAIL FROM:<big@example.org> SIZE=" + stored.size(), "RCPT TO:<alice@test.example>", "DATA");
            c.expect(250);
            c.expect(250);
            c.expect(354);
            c.raw(wire.toByteArray()).expect(250);
        }
        String m = smtp.stored().get(0).message();
        byte[] body = m.substring(m.indexOf('\n', m.indexOf("\n  by ") + 1) + 1).getBytes(StandardCharsets.ISO_8859_1);
        assertArrayEquals(stored.toByteArray(), body, "dots unstuffed, CRLF to LF, nothing else changed");
    }

    @Test
    void databytesIsCheckedAtTheEndOfData() throws Exception {
        smtp.home.control("databytes", "1000");
        try (SmtpClient c = hello()) {
            assertEquals(ehlo("1000"), c.send("EHLO again").read().lines());
            c.send("MAIL FROM:<a@example.org>", "RCPT TO:<alice@test.example>", "DATA");
            c.expect(250);
            c.expect(250);
            c.expect(354);
            c.raw("Subject: x\r\n\r\n" + "y".repeat(2000) + "\r\n.\r\n").expect(552);
            c.send("NOOP").expect(250);
        }
        assertEquals(List.of(), smtp.stored());
    }

    @Test
    void loopsAreRefusedAtOneHundredHops() throws Exception {
        for (int hops : new int[] {99, 100}) {
            try (SmtpClient c = hello()) {
                c.send("MAIL FROM:<a@example.org>", "RCPT TO:<alice@test.example>", "DATA");
                c.expect(250);
                c.expect(250);
                c.expect(354);
                c.raw("Received: from x\r\n".repeat(hops - 1) + "Delivered-To: y\r\nSubject: loop\r\n\r\nz\r\n.\r\n");
                c.expect(hops < 100 ? 250 : 554);
            }
        }
        assertEquals(1, smtp.stored().size(), "only the 99-hop message is queued");
    }

    /** Each smuggling seam, in one write and split across writes: the smuggled MAIL never runs. */
    @Test
    void smugglingSequencesNeverEndTheData() throws Exception {
        String[] seams = {"\n.\n", "\r.\n", "\n.\r\n", "\r\n.\r", "\r.\r\n"};
        String smuggled = "MAIL FROM:<evil@attacker.example>\r\nRCPT TO:<abuse@test.example>\r\nDATA\r\n"
            + "Subject: smuggled\r\n\r\nforged\r\n";
        for (String seam : seams) {
            for (boolean split : new boolean[] {false, true}) {
                emptyQueue();
                try (SmtpClient c = hello()) {
                    c.send("MAIL FROM:<honest@example.org>", "RCPT TO:<alice@test.example>", "DATA");
                    c.expect(250);
                    c.expect(250);
                    c.expect(354);
                    String data = "Subject: honest\r\n\r\nhello" + seam + smuggled + ".\r\n";
                    if (split) {
                        int cut = data.indexOf(seam) + 1;
                        c.raw(data.substring(0, cut));
                        Thread.sleep(50);
                        c.raw(data.substring(cut));
                    } else {
                        c.raw(data);
                    }
                    c.expect(250);
                    c.send("QUIT").expect(221);
                }
                List<TestHome.Stored> s = smtp.stored();
                String what = DataReaderName.of(seam) + (split ? " split" : " one write");
                assertEquals(1, s.size(), what + ": one message, no second one smuggled");
                assertEquals(new Address("honest@example.org"), s.get(0).envelope().sender(), what);
                assertTrue(s.get(0).message().contains("MAIL FROM:<evil@attacker.example>"), what + ": it is content");
            }
        }
    }

    @Test
    void freeSpaceIsCheckedBefore354() throws Exception {
        smtp.home.control("queueminfree", Long.toString(Long.MAX_VALUE / 2));
        smtp.home.reread("qmail-queued");
        try (SmtpClient c = hello()) {
            c.send("MAIL FROM:<a@example.org>", "RCPT TO:<alice@test.example>", "DATA");
            c.expect(250);
            c.expect(250);
            c.expect(452);
        } finally {
            smtp.home.control("queueminfree", "0");
            smtp.home.reread("qmail-queued");
        }
        assertEquals(List.of(), smtp.stored());
    }

    @Test
    void longLinesNulBytesAndTooManyErrors() throws Exception {
        try (SmtpClient c = hello()) {
            c.raw("NOOP " + "x".repeat(10_000) + "\r\n").expect(500);
            c.send("NOOP").expect(250);
            c.raw("NO\0OP\r\n").expect(500);
            c.send("NOOP").expect(250);
            for (int i = 0; i < 17; i++) {
                c.send("WHAT").expect(502);
            }
            SmtpClient.Response last = c.send("WHAT").read();
            assertEquals(502, last.code());
            assertEquals(421, c.read().code(), "after 20 errors the session ends");
            assertTrue(c.closedByServer());
        }
        try (SmtpClient c = hello()) {
            c.send("NOOP").expect(250);
        }
    }

    @Test
    void aClientThatVanishesInDataQueuesNothing() throws Exception {
        try (SmtpClient c = hello()) {
            c.send("MAIL FROM:<a@example.org>", "RCPT TO:<alice@test.example>", "DATA");
            c.expect(250);
            c.expect(250);
            c.expect(354);
            c.raw("Subject: cut\r\n\r\n" + "z".repeat(100_000));
        }
        Thread.sleep(500);
        assertEquals(List.of(), smtp.stored());
        assertEquals(0, smtp.home.tmpFiles());
        try (SmtpClient c = hello()) {
            c.send("NOOP").expect(250);
        }
    }

    @Test
    void anIdleClientTimesOutAndItsNeighbourCarriesOn() throws Exception {
        smtp.home.control("timeoutsmtpd", "2");
        try (SmtpClient idle = connect(); SmtpClient busy = connect()) {
            idle.expect(220);
            busy.expect(220);
            long start = System.nanoTime();
            for (int i = 0; i < 8; i++) {
                busy.send("NOOP").expect(250);
                Thread.sleep(300);
            }
            assertEquals(451, idle.read().code(), "the idle client is told");
            assertTrue(idle.closedByServer());
            assertTrue(System.nanoTime() - start > 1_000_000_000L);
            busy.send("QUIT").expect(221);
        }
    }

    /** Names of the seams for messages. */
    static final class DataReaderName {
        static String of(String seam) {
            return seam.replace("\r", "\\r").replace("\n", "\\n");
        }
    }

    @Test
    void noReplyEverRunsAheadOfItsCommand() throws Exception {
        try (SmtpClient c = connect()) {
            c.expect(220);
            c.socket.setSoTimeout(1000);
            c.send("NOOP");
            c.expect(250);
            try {
                assertNull(c.read(), "nothing more");
            } catch (java.net.SocketTimeoutException e) {
                // Nothing was sent: right.
            }
        }
    }
}
