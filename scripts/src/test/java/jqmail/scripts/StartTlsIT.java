package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
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
        try (Socket s = connect()) {
            Session plain = new Session(s.getInputStream(), s.getOutputStream());
            assertTrue(plain.reply().startsWith("220 "));
            plain.send("EHLO client.example\r\n");
            assertTrue(plain.reply().contains("250-STARTTLS"));
            plain.send("STARTTLS\r\nMAIL FROM:<injected@example.org>\r\n");
            assertTrue(plain.reply().startsWith("220 2.0.0"));
            Session tls = handshake(s);
            tls.send("EHLO client.example\r\n");
            String ehlo = tls.reply();
            assertTrue(ehlo.startsWith("250-test.example") && !ehlo.contains("STARTTLS"),
                "the first reply is EHLO's, and STARTTLS is not offered again: " + ehlo);
            tls.send("RCPT TO:<alice@test.example>\r\n");
            assertTrue(tls.reply().startsWith("503 5.5.1 MAIL first"), "the injected MAIL was never executed");
            tls.send("STARTTLS\r\n");
            assertTrue(tls.reply().startsWith("503 5.5.1 TLS already active"));
            tls.send("QUIT\r\n");
            assertTrue(tls.reply().startsWith("221 "));
        }
    }

    @Test
    void starttlsTakesNoArgument() throws Exception {
        try (Socket s = connect()) {
            Session plain = new Session(s.getInputStream(), s.getOutputStream());
            plain.reply();
            plain.send("EHLO client.example\r\n");
            plain.reply();
            plain.send("STARTTLS now\r\n");
            assertTrue(plain.reply().startsWith("501 "));
        }
    }

    @Test
    void garbageOrSilenceInsteadOfAHandshakeEndsOnlyThatSession() throws Exception {
        try (Socket garbage = connect(); Socket silent = connect()) {
            for (Socket s : List.of(garbage, silent)) {
                Session plain = new Session(s.getInputStream(), s.getOutputStream());
                plain.reply();
                plain.send("EHLO client.example\r\nSTARTTLS\r\n");
                plain.reply();
                assertTrue(plain.reply().startsWith("220 2.0.0"));
            }
            garbage.getOutputStream().write("this is not a TLS handshake\r\n".repeat(20).getBytes(StandardCharsets.US_ASCII));
            // The silent one says nothing at all; timeoutsmtpd (3 s) ends its handshake.
            try (SmtpClient other = smtp.connect()) {
                other.sendMessage("other.example", "o@example.org", List.of("alice@test.example"),
                    "Subject: token-other", "", "served meanwhile");
            }
            assertTrue(closedByServer(garbage), "the garbled handshake closed that connection");
            assertTrue(closedByServer(silent), "the stalled handshake timed out and closed that connection");
        }
        assertFalse(storedWith("token-other").message().isEmpty());
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", smtp.port), 10_000);
        s.setSoTimeout(30_000);
        return s;
    }

    /** True when the server ends the connection (EOF or a reset) before the socket's 30 s read timeout. */
    private static boolean closedByServer(Socket s) {
        try {
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // whatever the server still said
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** The client's side of the handshake, trusting the self-signed certificate. */
    private static Session handshake(Socket s) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        SSLSocket t = (SSLSocket) ctx.getSocketFactory().createSocket(s, "test.example", s.getPort(), true);
        t.startHandshake();
        return new Session(t.getInputStream(), t.getOutputStream());
    }

    /** Raw SMTP lines, so that several commands can go in one write. */
    private record Session(InputStream in, OutputStream out) {
        void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** One whole reply, its lines joined by LF. */
        String reply() throws IOException {
            List<String> lines = new ArrayList<>();
            for (;;) {
                StringBuilder b = new StringBuilder();
                for (int c; (c = in.read()) != '\n'; ) {
                    if (c < 0) {
                        throw new IOException("closed after " + lines + b);
                    }
                    if (c != '\r') {
                        b.append((char) c);
                    }
                }
                lines.add(b.toString());
                if (b.length() < 4 || b.charAt(3) == ' ') {
                    return String.join("\n", lines);
                }
            }
        }
    }
}
