package jqmail.remote.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client against peers that misbehave in each way a real one can; each script is one connection. */
@Timeout(60)
class SmtpConnectionTest {
    private static final String A = "a@example.org";
    private static final String B = "b@example.org";
    private static final String C = "c@example.org";

    static ClientSettings settings(int replyTimeoutMillis) {
        return new ClientSettings("client.example", 2000, replyTimeoutMillis, TlsPolicy.NONE, null, null, null, 100);
    }

    private static SmtpFailure openFails(FakePeer peer) {
        return assertThrows(SmtpFailure.class, () -> SmtpConnection.open(peer.address(), null, settings(1000)));
    }

    private static void assertNextHost(SmtpFailure f) {
        assertTrue(f.tryNextHost(), f.getMessage());
        assertFalse(f.permanent(), f.getMessage());
    }

    private static String codes(List<RecipientResult> results) {
        StringBuilder b = new StringBuilder();
        results.forEach(r -> b.append(r.code()));
        return b.toString();
    }

    // ---- opening ----

    @Test
    void greeting554TriesTheNextHost() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.reply("554 go away");
            s.expect("QUIT");
        })) {
            SmtpFailure f = openFails(peer);
            assertNextHost(f);
            assertTrue(f.getMessage().contains("greeting failed") && f.getMessage().contains("554 go away"),
                f.getMessage());
        }
    }

    @Test
    void greeting421TriesTheNextHostAndAsksUsToSlowDown() throws Exception {
        try (FakePeer peer = new FakePeer(s -> s.reply("421 busy"))) {
            SmtpFailure f = openFails(peer);
            assertNextHost(f);
            assertEquals("421 busy", f.throttledBy());
        }
    }

    @Test
    void aRateLimitOnRcptIsTheConnectionsThrottleAndOnlyThatRecipientsDeferral() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("PIPELINING");
            s.expect("MAIL FROM:<a@example.org>");
            s.expect("RCPT TO:<a@example.org>");
            s.expect("RCPT TO:<b@example.org>");
            s.reply("250 ok", "250 ok", "450 4.7.28 too many messages from your IP, slow down");
            s.expect("DATA");
            s.reply("354 go ahead");
            s.readData();
            s.reply("250 ok");
        })) {
            try (SmtpConnection c = SmtpConnection.open(peer.address(), null, settings(2000))) {
                assertNull(c.throttledBy());
                assertEquals("KZ", codes(c.send(A, List.of(A, B), Messages.of("hi\n"))));
                assertEquals("450 4.7.28 too many messages from your IP, slow down", c.throttledBy());
            }
        }
    }

    @Test
    void silentPeerTimesOut() throws Exception {
        try (FakePeer peer = new FakePeer(s -> assertTrue(s.closedByClient()))) {
            SmtpFailure f = openFails(peer);
            assertNextHost(f);
            assertTrue(f.getMessage().contains("timed out"), f.getMessage());
        }
    }

    @Test
    void garbageGreeting() throws Exception {
        try (FakePeer peer = new FakePeer(s -> s.reply("SSH-2.0-OpenSSH_9.2"))) {
            SmtpFailure f = openFails(peer);
            assertNextHost(f);
            assertTrue(f.getMessage().contains("malformed reply"), f.getMessage());
        }
    }

    @Test
    void tenThousandByteGreetingLine() throws Exception {
        try (FakePeer peer = new FakePeer(s -> s.reply("220 " + "x".repeat(10_000)))) {
            SmtpFailure f = openFails(peer);
            assertNextHost(f);
            assertTrue(f.getMessage().contains("longer than 2048"), f.getMessage());
        }
    }

    @Test
    void garbageInsideMultiLineEhloReply() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.reply("220 fake.example ESMTP");
            s.expect("EHLO client.example");
            s.reply("250-fake.example", "250-PIPELINING", "this is not a reply line", "250 8BITMIME");
        })) {
            assertNextHost(openFails(peer));
        }
    }

    @Test
    void hundredAndOneLineReply() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.reply("220 fake.example ESMTP");
            s.expect("EHLO client.example");
            String[] lines = new String[101];
            for (int i = 0; i < 100; i++) {
                lines[i] = "250-X-FILLER" + i;
            }
            lines[100] = "250 OK";
            s.reply(lines);
        })) {
            assertTrue(openFails(peer).getMessage().contains("100 lines"));
        }
    }

    @Test
    void peerClosesInTheMiddleOfTheEhloReply() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.reply("220 fake.example ESMTP");
            s.expect("EHLO client.example");
            s.raw("250-fake.example\r\n250-PIPEL".getBytes(StandardCharsets.US_ASCII));
        })) {
            SmtpFailure f = openFails(peer);
            assertNextHost(f);
            assertTrue(f.getMessage().contains("connection closed"), f.getMessage());
        }
    }

    @Test
    void heloWhenEhloIsRefused() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.reply("220 old.example SMTP");
            s.expect("EHLO client.example");
            s.reply("502 unimplemented");
            s.expect("HELO client.example");
            s.reply("250 old.example");
            // No SIZE, no BODY: the peer offered nothing.
            s.expect("MAIL FROM:<a@example.org>");
            s.reply("250 ok");
            s.expect("RCPT TO:<b@example.org>");
            s.reply("250 ok");
            s.expect("DATA");
            s.reply("354 go ahead");
            assertEquals("hi\r\n.\r\n", new String(s.readData(), StandardCharsets.ISO_8859_1));
            s.reply("250 ok 1 qp 2");
            s.expect("QUIT");
            s.reply("221 bye");
        })) {
            SmtpConnection c = SmtpConnection.open(peer.address(), null, settings(2000));
            List<RecipientResult> r = c.send(A, List.of(B), Messages.of("hi\n"));
            assertEquals("K", codes(r));
            assertEquals("127.0.0.1 accepted message.\nRemote host said: 250 ok 1 qp 2", r.get(0).text());
            assertTrue(c.reusable());
            c.quit();
            assertFalse(c.reusable());
        }
    }

    @Test
    void nameRefusedByHeloToo() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.reply("220 old.example SMTP");
            s.expect("EHLO client.example");
            s.reply("500 what");
            s.expect("HELO client.example");
            s.reply("550 no such name");
            s.expect("QUIT");
        })) {
            SmtpFailure f = openFails(peer);
            assertNextHost(f);
            assertTrue(f.getMessage().contains("my name was rejected"), f.getMessage());
        }
    }

    @Test
    void ehloNamesOnlyTheHeloWeWereGiven() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.reply("220 fake.example ESMTP");
            String ehlo = s.readLine();
            assertEquals("EHLO client.example", ehlo);
            s.answerEhlo();
            s.expect("QUIT");
            s.reply("221 bye");
        })) {
            SmtpConnection.open(peer.address(), null, settings(2000)).quit();
        }
    }

    // ---- the envelope ----

    @Test
    void pipeliningSendsTheEnvelopeInOneGo() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("PIPELINING", "SIZE 1000000", "8BITMIME");
            s.expect("MAIL FROM:<a@example.org> SIZE=3 BODY=8BITMIME");
            s.expect("RCPT TO:<b@example.org>");
            s.expect("RCPT TO:<c@example.org>");
            assertTrue(s.quiet(200), "DATA must wait for the RCPT replies");
            s.reply("250 ok", "250 ok", "250 ok");
            s.expect("DATA");
            s.reply("354 go ahead");
            s.readData();
            s.reply("250 ok");
            s.expect("QUIT");
            s.reply("221 bye");
        })) {
            SmtpConnection c = SmtpConnection.open(peer.address(), null, settings(2000));
            assertEquals("KK", codes(c.send(A, List.of(B, C), Messages.of("hi\n"))));
            c.quit();
        }
    }

    @Test
    void withoutPipeliningEachCommandWaitsForItsReply() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("8BITMIME");
            s.expect("MAIL FROM:<a@example.org> BODY=8BITMIME");
            assertTrue(s.quiet(300));
            s.reply("250 ok");
            s.expect("RCPT TO:<b@example.org>");
            assertTrue(s.quiet(300));
            s.reply("250 ok");
            s.expect("RCPT TO:<c@example.org>");
            assertTrue(s.quiet(300));
            s.reply("250 ok");
            s.expect("DATA");
            s.reply("354 go ahead");
            s.readData();
            s.reply("250 ok");
            s.expect("QUIT");
            s.reply("221 bye");
        })) {
            SmtpConnection c = SmtpConnection.open(peer.address(), null, settings(2000));
            assertEquals("KK", codes(c.send(A, List.of(B, C), Messages.of("hi\n"))));
            c.quit();
        }
    }

    @Test
    void pipelinedEnvelopeLongerThanOneWindow() throws Exception {
        List<String> rcpts = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            rcpts.add("r" + i + "@example.org");
        }
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("PIPELINING");
            s.expect("MAIL FROM:<a@example.org>");
            s.reply("250 ok");
            for (int i = 0; i < 250; i++) {
                s.expect("RCPT TO:<r" + i + "@example.org>");
                s.reply(i % 50 == 7 ? "550 no such user" : "250 ok");
            }
            s.expect("DATA");
            s.reply("354 go ahead");
            s.readData();
            s.reply("250 ok");
        })) {
            ClientSettings wide = new ClientSettings("client.example", 2000, 2000, TlsPolicy.NONE, null, null, null, 250);
            try (SmtpConnection c = SmtpConnection.open(peer.address(), null, wide)) {
                List<RecipientResult> r = c.send(A, rcpts, Messages.of("hi\n"));
                for (int i = 0; i < 250; i++) {
                    assertEquals(i % 50 == 7 ? 'D' : 'K', r.get(i).code(), "recipient " + i);
                    assertEquals(rcpts.get(i), r.get(i).recipient());
                }
            }
        }
    }

    @Test
    void temporaryRcptFailuresAreZOthersDelivered() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("PIPELINING");
            s.expect("MAIL FROM:<a@example.org>");
            s.expect("RCPT TO:<a@example.org>");
            s.expect("RCPT TO:<b@example.org>");
            s.expect("RCPT TO:<c@example.org>");
            s.reply("250 ok", "250 ok", "452 4.5.3 too many recipients", "250 ok");
            s.expect("DATA");
            s.reply("354 go ahead");
            s.readData();
            s.reply("250 ok");
        })) {
            try (SmtpConnection c = SmtpConnection.open(peer.address(), null, settings(2000))) {
                List<RecipientResult> r = c.send(A, List.of(A, B, C), Messages.of("hi\n"));
                assertEquals("KZK", codes(r));
                assertNull(c.throttledBy(), "4.5.3 is not a rate limit");
                assertEquals("127.0.0.1 does not like recipient.\nRemote host said: 452 4.5.3 too many recipients",
                    r.get(1).text());
            }
        }
    }

    @Test
    void noRecipientAcceptedMeansRsetAndNoData() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("PIPELINING");
            s.expect("MAIL FROM:<>");
            s.expect("RCPT TO:<b@example.org>");
            s.expect("RCPT TO:<c@example.org>");
            s.reply("250 ok", "550 5.1.1 no such user", "450 4.2.1 mailbox busy");
            s.expect("RSET");
            s.reply("250 flushed");
            s.expect("QUIT");
            s.reply("221 bye");
        })) {
            SmtpConnection c = SmtpConnection.open(peer.address(), null, settings(2000));
            assertEquals("DZ", codes(c.send("", List.of(B, C), Messages.of("bounce\n"))));
            assertTrue(c.reusable());
            c.quit();
        }
    }

    @Test
    void senderRefusedPermanentlyAndTemporarily() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo();
            s.expect("MAIL FROM:<a@example.org>");
            s.reply("553 5.7.1 sender refused");
            s.expect("RSET");
            s.reply("250 ok");
            s.expect("MAIL FROM:<a@example.org>");
            s.reply("451 4.3.0 try later");
            s.expect("RSET");
            s.reply("250 ok");
            s.expect("QUIT");
            s.reply("221 bye");
        })) {
            SmtpConnection c = SmtpConnection.open(peer.address(), null, settings(2000));
            List<RecipientResult> r = c.send(A, List.of(B, C), Messages.of("hi\n"));
            assertEquals("DD", codes(r));
            assertTrue(r.get(0).text().startsWith("Connected to 127.0.0.1 but sender was rejected."));
            assertEquals("ZZ", codes(c.send(A, List.of(B, C), Messages.of("hi\n"))));
            c.quit();
        }
    }

    @Test
    void pipelinedSenderRefusalStillReadsEveryReply() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("PIPELINING");
            s.expect("MAIL FROM:<a@example.org>");
            s.expect("RCPT TO:<b@example.org>");
            s.reply("550 no", "503 MAIL first");
            s.expect("RSET");
            s.reply("250 ok");
            s.expect("MAIL FROM:<a@example.org>");
            s.expect("RCPT TO:<b@example.org>");
            s.reply("250 ok", "250 ok");
            s.expect("DATA");
            s.reply("354 go ahead");
            s.readData();
            s.reply("250 ok");
        })) {
            try (SmtpConnection c = SmtpConnection.open(peer.address(), null, settings(2000))) {
                assertEquals("D", codes(c.send(A, List.of(B), Messages.of("hi\n"))));
                assertEquals("K", codes(c.send(A, List.of(B), Messages.of("hi\n"))));
            }
        }
    }

    @Test
    void brokenBeforeTheSenderIsAnsweredIsAFailureNotAResult() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("PIPELINING");
            s.expect("MAIL FROM:<a@example.org>");
        })) {
            SmtpConnection c = SmtpConnection.open(peer.address(), null, settings(2000));
            SmtpFailure f = assertThrows(SmtpFailure.class, () -> c.send(A, List.of(B), Messages.of("hi\n")));
            assertNextHost(f);
            assertFalse(c.reusable());
            assertThrows(SmtpFailure.class, () -> c.send(A, List.of(B), Messages.of("hi\n")));
            c.close();
        }
    }

    @Test
    void closedDuringTheRecipientsLeavesTheRestTemporary() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("PIPELINING");
            s.expect("MAIL FROM:<a@example.org>");
            s.expect("RCPT TO:<a@example.org>");
            s.expect("RCPT TO:<b@example.org>");
            s.expect("RCPT TO:<c@example.org>");
            s.reply("250 ok", "550 no", "250 ok");
        })) {
            try (SmtpConnection c = SmtpConnection.open(peer.address(), null, settings(2000))) {
                List<RecipientResult> r = c.send(A, List.of(A, B, C), Messages.of("hi\n"));
                assertEquals("DZZ", codes(r));
                assertTrue(r.get(2).text().contains("connection died"), r.get(2).text());
                assertFalse(c.reusable());
            }
        }
    }

    @Test
    void reply421EndsTheConnection() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo();
            s.expect("MAIL FROM:<a@example.org>");
            s.reply("250 ok");
            s.expect("RCPT TO:<a@example.org>");
            s.reply("550 no");
            s.expect("RCPT TO:<b@example.org>");
            s.reply("421 4.3.2 shutting down");
            assertTrue(s.closedByClient());
        })) {
            try (SmtpConnection c = SmtpConnection.open(peer.address(), null, settings(2000))) {
                List<RecipientResult> r = c.send(A, List.of(A, B, C), Messages.of("hi\n"));
                assertEquals("DZZ", codes(r));
                assertTrue(r.get(2).text().endsWith("Remote host said: 421 4.3.2 shutting down"), r.get(2).text());
                assertFalse(c.reusable());
            }
        }
    }

    @Test
    void pipelined421DoesNotWaitForRepliesThatWillNotCome() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("PIPELINING");
            s.expect("MAIL FROM:<a@example.org>");
            s.expect("RCPT TO:<b@example.org>");
            s.expect("RCPT TO:<c@example.org>");
            s.reply("421 4.7.0 too busy");
            // The peer keeps the socket open; the client must not wait for the other two replies.
            assertTrue(s.closedByClient());
        })) {
            try (SmtpConnection c = SmtpConnection.open(peer.address(), null, settings(20_000))) {
                long start = System.nanoTime();
                List<RecipientResult> r = c.send(A, List.of(B, C), Messages.of("hi\n"));
                assertTrue(System.nanoTime() - start < 5_000_000_000L);
                assertEquals("ZZ", codes(r));
                assertTrue(r.get(0).text().contains("421 4.7.0 too busy"), r.get(0).text());
            }
        }
    }

    @Test
    void tooManyOrNoRecipientsIsTheCallersMistake() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo();
            s.expect("QUIT");
            s.reply("221 bye");
        })) {
            ClientSettings two = new ClientSettings("client.example", 2000, 2000, TlsPolicy.NONE, null, null, null, 2);
            SmtpConnection c = SmtpConnection.open(peer.address(), null, two);
            assertThrows(IllegalArgumentException.class, () -> c.send(A, List.of(A, B, C), Messages.of("x\n")));
            assertThrows(IllegalArgumentException.class, () -> c.send(A, List.of(), Messages.of("x\n")));
            assertThrows(IllegalArgumentException.class, () -> c.send(A, List.of("x@y>\r\nDATA"), Messages.of("x\n")));
            assertTrue(c.reusable());
            c.quit();
        }
    }

    @Test
    void quotedLocalPartsAndNullSender() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo();
            s.expect("MAIL FROM:<>");
            s.reply("250 ok");
            s.expect("RCPT TO:<\"john doe\"@example.org>");
            s.reply("250 ok");
            s.expect("DATA");
            s.reply("354 go ahead");
            s.readData();
            s.reply("250 ok");
        })) {
            try (SmtpConnection c = SmtpConnection.open(peer.address(), null, settings(2000))) {
                assertEquals("K", codes(c.send("", List.of("john doe@example.org"), Messages.of("x\n"))));
            }
        }
    }

    // ---- size ----

    @Test
    void messageOverThePeersSizeIsRefusedWithoutSending() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("PIPELINING", "SIZE 100");
            s.expect("QUIT");
            s.reply("221 bye");
        })) {
            SmtpConnection c = SmtpConnection.open(peer.address(), null, settings(2000));
            List<RecipientResult> r = c.send(A, List.of(B, C), Messages.of("x".repeat(200) + "\n"));
            assertEquals("DD", codes(r));
            assertTrue(r.get(0).text().contains("takes at most 100"), r.get(0).text());
            assertTrue(c.reusable());
            c.quit();
        }
    }

    // ---- data ----

    @Test
    void dataRefused() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo();
            s.expect("MAIL FROM:<a@example.org>");
            s.reply("250 ok");
            s.expect("RCPT TO:<b@example.org>");
            s.reply("250 ok");
            s.expect("RCPT TO:<c@example.org>");
            s.reply("550 no");
            s.expect("DATA");
            s.reply("554 5.6.0 no data for you");
            s.expect("RSET");
            s.reply("250 ok");
        })) {
            try (SmtpConnection c = SmtpConnection.open(peer.address(), null, settings(2000))) {
                List<RecipientResult> r = c.send(A, List.of(B, C), Messages.of("x\n"));
                assertEquals("DD", codes(r));
                assertTrue(r.get(0).text().startsWith("127.0.0.1 failed on DATA command."), r.get(0).text());
                assertTrue(r.get(1).text().contains("does not like recipient"), r.get(1).text());
            }
        }
    }

    @Test
    void refusedAfterTheDataIsPermanentForTheAcceptedOnly() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("PIPELINING");
            s.expect("MAIL FROM:<a@example.org>");
            s.expect("RCPT TO:<b@example.org>");
            s.expect("RCPT TO:<c@example.org>");
            s.reply("250 ok", "451 later", "250 ok");
            s.expect("DATA");
            s.reply("354 go ahead");
            s.readData();
            s.reply("552 5.3.4 message too big");
            // The transaction is over: the next one starts with MAIL, no RSET.
            s.expect("MAIL FROM:<a@example.org>");
            s.expect("RCPT TO:<b@example.org>");
            s.reply("250 ok", "250 ok");
            s.expect("DATA");
            s.reply("354 go ahead");
            s.readData();
            s.reply("250 ok");
            s.expect("QUIT");
            s.reply("221 bye");
        })) {
            SmtpConnection c = SmtpConnection.open(peer.address(), null, settings(2000));
            List<RecipientResult> r = c.send(A, List.of(B, C), Messages.of("x\n"));
            assertEquals("ZD", codes(r));
            assertEquals("127.0.0.1 failed after I sent the message.\nRemote host said: 552 5.3.4 message too big",
                r.get(1).text());
            assertTrue(c.reusable());
            assertEquals("K", codes(c.send(A, List.of(B), Messages.of("again\n"))));
            c.quit();
        }
    }

    @Test
    void peerThatHangsAfterTheDataIsAPossibleDuplicate() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("PIPELINING");
            s.expect("MAIL FROM:<a@example.org>");
            s.expect("RCPT TO:<b@example.org>");
            s.reply("250 ok", "250 ok");
            s.expect("DATA");
            s.reply("354 go ahead");
            s.readData();
            assertTrue(s.closedByClient());
        })) {
            try (SmtpConnection c = SmtpConnection.open(peer.address(), null, settings(700))) {
                long start = System.nanoTime();
                List<RecipientResult> r = c.send(A, List.of(B), Messages.of("x\n"));
                long took = (System.nanoTime() - start) / 1_000_000;
                assertEquals("Z", codes(r));
                assertTrue(r.get(0).text().contains("Possible duplicate!"), r.get(0).text());
                assertTrue(r.get(0).text().contains("timed out"), r.get(0).text());
                assertTrue(took < 5000, took + " ms");
                assertFalse(c.reusable());
            }
        }
    }

    @Test
    void peerThatClosesInTheMiddleOfTheFinalReply() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("PIPELINING");
            s.expect("MAIL FROM:<a@example.org>");
            s.expect("RCPT TO:<b@example.org>");
            s.reply("250 ok", "250 ok");
            s.expect("DATA");
            s.reply("354 go ahead");
            s.readData();
            s.raw("250-queued as 1\r\n250-and".getBytes(StandardCharsets.US_ASCII));
        })) {
            try (SmtpConnection c = SmtpConnection.open(peer.address(), null, settings(2000))) {
                List<RecipientResult> r = c.send(A, List.of(B), Messages.of("x\n"));
                assertEquals("Z", codes(r));
                assertTrue(r.get(0).text().contains("Possible duplicate!"), r.get(0).text());
            }
        }
    }

    @Test
    void hugeFinalReplyLineIsTemporary() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("PIPELINING");
            s.expect("MAIL FROM:<a@example.org>");
            s.expect("RCPT TO:<b@example.org>");
            s.reply("250 ok", "250 ok");
            s.expect("DATA");
            s.reply("354 go ahead");
            s.readData();
            s.reply("250 " + "z".repeat(10_000));
        })) {
            try (SmtpConnection c = SmtpConnection.open(peer.address(), null, settings(2000))) {
                assertEquals("Z", codes(c.send(A, List.of(B), Messages.of("x\n"))));
                assertFalse(c.reusable());
            }
        }
    }

    @Test
    void bodyIsSentByteExact() throws Exception {
        String stored = "Subject: transparency\n\n.\n..\n.leading\nlone\rCR and X\r.\nNUL\u0000 8-bit \u00e9\u00ff\n"
            + "CRLF\r\n\r\n.\r\nno final newline";
        String wire = "Subject: transparency\r\n\r\n..\r\n...\r\n..leading\r\nlone\r\nCR and X\r\n..\r\n"
            + "NUL\u0000 8-bit \u00e9\u00ff\r\nCRLF\r\n\r\n..\r\nno final newline\r\n.\r\n";
        byte[][] got = new byte[1][];
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("PIPELINING", "SIZE 0", "8BITMIME");
            s.expect("MAIL FROM:<a@example.org> SIZE=" + stored.length() + " BODY=8BITMIME");
            s.expect("RCPT TO:<b@example.org>");
            s.reply("250 ok", "250 ok");
            s.expect("DATA");
            s.reply("354 go ahead");
            got[0] = s.readData();
            s.reply("250 ok");
            // Nothing after the data: no part of the message was taken as a command.
            s.expect("QUIT");
            s.reply("221 bye");
        })) {
            SmtpConnection c = SmtpConnection.open(peer.address(), null, settings(2000));
            assertEquals("K", codes(c.send(A, List.of(B), Messages.of(stored))));
            c.quit();
        }
        assertEquals(wire, new String(got[0], StandardCharsets.ISO_8859_1));
    }

    @Test
    void hundredMebibytesStreamThroughInFlatMemory() throws Exception {
        // Surefire runs this module with -Xmx64m: a whole-message array would not fit.
        long size = 100L * 1024 * 1024;
        CRC32 crc = new CRC32();
        long[] count = new long[1];
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("PIPELINING", "SIZE 0");
            s.expect("MAIL FROM:<a@example.org> SIZE=" + size);
            s.expect("RCPT TO:<b@example.org>");
            s.reply("250 ok", "250 ok");
            s.expect("DATA");
            s.reply("354 go ahead");
            count[0] = s.discardData(crc);
            s.reply("250 ok");
        })) {
            try (SmtpConnection c = SmtpConnection.open(peer.address(), null, settings(20_000))) {
                assertEquals("K", codes(c.send(A, List.of(B), Messages.generated(size))));
            }
        }
        CRC32 expected = new CRC32();
        long n = Reference.encode(Messages.generated(size).open(), expected);
        assertEquals(n, count[0]);
        assertEquals(expected.getValue(), crc.getValue());
    }

    @Test
    void peerThatStopsReadingTheDataCannotHangTheDelivery() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("PIPELINING");
            s.expect("MAIL FROM:<a@example.org>");
            s.expect("RCPT TO:<b@example.org>");
            s.reply("250 ok", "250 ok");
            s.expect("DATA");
            s.socket().setReceiveBufferSize(4096);
            s.reply("354 go ahead");
            // Read nothing more until the client gives up.
            Thread.sleep(4000);
        })) {
            try (SmtpConnection c = SmtpConnection.open(peer.address(), null, settings(1000))) {
                long start = System.nanoTime();
                List<RecipientResult> r = c.send(A, List.of(B), Messages.generated(64L * 1024 * 1024));
                long took = (System.nanoTime() - start) / 1_000_000;
                assertEquals("Z", codes(r));
                assertTrue(r.get(0).text().contains("while I sent the message"), r.get(0).text());
                assertFalse(r.get(0).text().contains("Possible duplicate"), r.get(0).text());
                assertTrue(took < 3500, took + " ms");
            }
        }
    }

    @Test
    void unreadableMessageAbortsTheDataAndIsNotThePeersFault() throws Exception {
        MessageBody failing = new MessageBody() {
            @Override
            public long size() {
                return 1000;
            }

            @Override
            public InputStream open() {
                return new InputStream() {
                    private int left = 10;

                    @Override
                    public int read() throws IOException {
                        if (left-- > 0) {
                            return 'x';
                        }
                        throw new IOException("disk trouble");
                    }
                };
            }
        };
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("PIPELINING");
            s.expect("MAIL FROM:<a@example.org>");
            s.expect("RCPT TO:<b@example.org>");
            s.reply("250 ok", "250 ok");
            s.expect("DATA");
            s.reply("354 go ahead");
            // The connection closes without the end of data, so the peer drops what it got.
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            for (String l = s.readLine(); l != null; l = s.readLine()) {
                rest.writeBytes(l.getBytes(StandardCharsets.ISO_8859_1));
                assertFalse(l.equals("."), "end of data was sent");
            }
        })) {
            try (SmtpConnection c = SmtpConnection.open(peer.address(), null, settings(2000))) {
                SmtpFailure f = assertThrows(SmtpFailure.class, () -> c.send(A, List.of(B), failing));
                assertFalse(f.tryNextHost());
                assertFalse(f.permanent());
                assertTrue(f.getMessage().startsWith("Unable to read message"), f.getMessage());
                assertFalse(c.reusable());
            }
        }
    }

    @Test
    void plainConnectionHasNoTlsSummary() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("STARTTLS");
            s.expect("QUIT");
            s.reply("221 bye");
        })) {
            SmtpConnection c = SmtpConnection.open(peer.address(), null, settings(2000));
            assertNull(c.tlsSummary());
            c.quit();
        }
    }

    @Test
    void refusedConnectIsAFailureForTheNextHost() throws Exception {
        java.net.InetSocketAddress nobody;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            nobody = new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), s.getLocalPort());
        }
        SmtpFailure f = assertThrows(SmtpFailure.class, () -> SmtpConnection.open(nobody, null, settings(1000)));
        assertNextHost(f);
        assertFalse(f.connectTimedOut());
        assertTrue(f.getMessage().startsWith("Sorry, I wasn't able to establish an SMTP connection"), f.getMessage());
    }

    /** RFC 5321 §4.5.2 the slow, obvious way, a line at a time, to check BodyEncoder's output. */
    static final class Reference {
        static long encode(InputStream in, CRC32 crc) throws IOException {
            long n = 0;
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean pendingLine = false;
            int c = in.read();
            while (c >= 0) {
                int next = in.read();
                if (c == '\r' || c == '\n') {
                    n += emit(line, crc);
                    pendingLine = false;
                    if (c == '\r' && next == '\n') {
                        next = in.read();
                    }
                } else {
                    line.write(c);
                    pendingLine = true;
                }
                c = next;
            }
            if (pendingLine) {
                n += emit(line, crc);
            }
            byte[] end = {'.', '\r', '\n'};
            crc.update(end);
            return n + 3;
        }

        private static long emit(ByteArrayOutputStream line, CRC32 crc) {
            byte[] l = line.toByteArray();
            line.reset();
            int extra = 0;
            if (l.length > 0 && l[0] == '.') {
                crc.update('.');
                extra = 1;
            }
            crc.update(l);
            crc.update('\r');
            crc.update('\n');
            return l.length + extra + 2;
        }
    }
}
