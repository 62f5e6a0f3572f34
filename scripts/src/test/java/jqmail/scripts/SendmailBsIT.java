package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code sendmail -bs}: the whole conversation suite again, each session a
 * {@code sendmail -bs} process speaking SMTP on its stdin and stdout, as
 * mail user agents that submit over SMTP-on-a-pipe use it.
 */
class SendmailBsIT extends SmtpConversationIT {
    @Override
    SmtpClient connect() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Dist.bin("sendmail").toString(), "-bs");
        pb.environment().put("JQMAIL_HOME", smtp.home.dir.toString());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        return new SmtpClient(pb.start());
    }

    /** A local pipe has nothing to encrypt: sendmail -bs does not offer STARTTLS. */
    @Override
    List<String> ehlo(String size) {
        return List.of("test.example", "PIPELINING", "8BITMIME", "SIZE " + size, "ENHANCEDSTATUSCODES");
    }

    /** sendmail -bs names its client localhost, as qmail's sendmail wrapper does. */
    @Override
    String remoteName() {
        return "localhost";
    }

    /** A local caller of sendmail -bs may relay (qmail's wrapper sets RELAYCLIENT); the other rules hold. */
    @Override
    @Test
    void relayAndRecipients() throws Exception {
        try (SmtpClient c = hello()) {
            c.send("MAIL FROM:<a@example.org>").expect(250);
            c.send("RCPT TO:<someone@elsewhere.example>").expect(250);
            c.send("RCPT TO:<ghost@test.example>").expect(550);
            c.send("RCPT TO:<alice@test.example>").expect(250);
            c.send("RCPT TO:<PostMaster@test.example>").expect(250);
            c.send("RCPT TO:<bad address@test.example>").expect(501);
        }
    }

    /** No socket timeout on a pipe: QUIT's 221 must be the very next reply after NOOP's 250. */
    @Override
    @Test
    void noReplyEverRunsAheadOfItsCommand() throws Exception {
        try (SmtpClient c = connect()) {
            c.expect(220);
            c.send("NOOP");
            c.expect(250);
            c.send("QUIT");
            assertEquals(221, c.read().code());
            assertNull(c.read(), "nothing after QUIT's reply");
        }
    }

    @Test
    void theQueuedMessageSaysItCameFromSendmailBs() throws Exception {
        try (SmtpClient c = hello()) {
            c.send("MAIL FROM:<a@example.org>", "RCPT TO:<alice@test.example>", "DATA");
            c.expect(250);
            c.expect(250);
            c.expect(354);
            c.raw("Subject: via -bs\r\n\r\nhello\r\n.\r\n").expect(250);
            c.send("QUIT").expect(221);
        }
        List<TestHome.Stored> s = smtp.stored();
        assertEquals(1, s.size());
        String m = s.get(0).message();
        assertEquals(true, m.contains("(127.0.0.1)"), m);
        assertEquals(true, m.endsWith("Subject: via -bs\n\nhello\n"), m);
    }
}
