package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * STARTTLS on the real tcpserver (RFC 3207), with the self-signed
 * certificate jqmail setup made: Python's smtplib and swaks submit over
 * it and the Received line says so; a command pipelined in plain text
 * behind STARTTLS is never executed (CVE-2011-0411); garbage instead of a
 * handshake, and a client that stops in the middle of one, end only their
 * own session.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StartTlsIT {
    @TempDir
    static Path dir;
    SmtpHome smtp;

    @BeforeAll
    void start() throws Exception {
        smtp = new SmtpHome(dir.resolve("home"), SmtpHome.RULES, false);
        smtp.home.control("timeoutsmtpd", "3");
    }

    @AfterAll
    void stop() throws Exception {
        smtp.close();
    }

    private TestHome.Stored storedWith(String token) throws Exception {
        for (TestHome.Stored s : smtp.stored()) {
            if (s.message().contains(token)) {
                return s;
            }
        }
        throw new AssertionError("no queued message with " + token);
    }

    @Test
    void pythonSmtplibSubmitsOverStarttls() throws Exception {
        String script = """
            import smtplib, ssl
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            with smtplib.SMTP('127.0.0.1', %d) as s:
                s.ehlo('python.example')
                assert s.has_extn('starttls')
                s.starttls(context=ctx)
                s.ehlo('python.example')
                assert not s.has_extn('starttls')
                s.sendmail('py@example.org', ['alice@test.example'], 'Subject: token-py-tls\\r\\n\\r\\nsecret\\r\\n')
            print('sent')
            """.formatted(smtp.port);
        Path py = dir.resolve("tls.py");
        Files.writeString(py, script);
        Path out = dir.resolve("py.out");
        assertEquals(0, SmtpInteropIT.run(List.of("python3", py.toString()), out), Files.readString(out));
        String m = storedWith("token-py-tls").message();
        assertTrue(m.matches("(?s)Received: from unknown \\(HELO python\\.example\\) \\(127\\.0\\.0\\.1\\)\n  by test\\.example"
            + " with ESMTPS \\(TLSv1\\.[23] TLS_\\w+\\); .*"), m);
    }

    @Test
    void swaksSubmitsOverStarttls() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/swaks")), "swaks is installed by scripts/deps test");
        Path out = dir.resolve("swaks.out");
        int rc = SmtpInteropIT.run(List.of("swaks", "--server", "127.0.0.1:" + smtp.port, "--tls", "--from",
            "swaks@example.org", "--to", "alice@test.example", "--header", "Subject: token-swaks-tls"), out);
        assertEquals(0, rc, Files.readString(out));
        assertTrue(Files.readString(out).contains("TLS started"), Files.readString(out));
        assertTrue(storedWith("token-swaks-tls").message().contains(" with ESMTPS (TLSv1."));
    }

    @Test
    void aCommandPipelinedBehindStarttlsIsNotExecuted() throws Exception {
        try (RawSmtp c = RawSmtp.connect(smtp.port)) {
            assertTrue(c.reply().startsWith("220 "));
            c.line("EHLO client.example");
            assertTrue(c.reply().contains("250-STARTTLS"));
            c.send("STARTTLS\r\nMAIL FROM:<injected@example.org>\r\n");
            assertTrue(c.reply().startsWith("220 2.0.0"));
            c.handshake();
            c.line("EHLO client.example");
            String ehlo = c.reply();
            assertTrue(ehlo.startsWith("250-test.example") && !ehlo.contains("STARTTLS"),
                "the first reply is EHLO's, and STARTTLS is not offered again: " + ehlo);
            c.line("RCPT TO:<alice@test.example>");
            assertTrue(c.reply().startsWith("503 5.5.1 MAIL first"), "the injected MAIL was never executed");
            c.line("STARTTLS");
            assertTrue(c.reply().startsWith("503 5.5.1 TLS already active"));
            c.line("QUIT");
            assertTrue(c.reply().startsWith("221 "));
        }
    }

    @Test
    void starttlsTakesNoArgument() throws Exception {
        try (RawSmtp c = RawSmtp.connect(smtp.port)) {
            c.reply();
            c.line("EHLO client.example");
            c.reply();
            c.line("STARTTLS now");
            assertTrue(c.reply().startsWith("501 "));
        }
    }

    @Test
    void garbageOrSilenceInsteadOfAHandshakeEndsOnlyThatSession() throws Exception {
        try (RawSmtp garbage = RawSmtp.connect(smtp.port); RawSmtp silent = RawSmtp.connect(smtp.port)) {
            for (RawSmtp c : List.of(garbage, silent)) {
                c.reply();
                c.send("EHLO client.example\r\nSTARTTLS\r\n");
                c.reply();
                assertTrue(c.reply().startsWith("220 2.0.0"));
            }
            garbage.send("this is not a TLS handshake\r\n".repeat(20));
            // The silent one says nothing at all; timeoutsmtpd (3 s) ends its handshake.
            try (SmtpClient other = smtp.connect()) {
                other.sendMessage("other.example", "o@example.org", List.of("alice@test.example"),
                    "Subject: token-other", "", "served meanwhile");
            }
            assertTrue(garbage.closedByServer(), "the garbled handshake closed that connection");
            assertTrue(silent.closedByServer(), "the stalled handshake timed out and closed that connection");
        }
        assertFalse(storedWith("token-other").message().isEmpty());
    }
}
