package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jqmail.common.Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real clients and a real ucspi-tcp: Python's smtplib, swaks, and Debian's tcpserver running qmail-smtpd. */
class SmtpInteropIT {
    @TempDir
    Path dir;


    static int run(List<String> cmd, Path out) throws Exception {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start().waitFor();
    }

    @Test
    void pythonSmtplibSendsAMessage() throws Exception {
        try (SmtpHome smtp = new SmtpHome(dir.resolve("home"), SmtpHome.RULES)) {
            String script = """
                import smtplib
                from email.message import EmailMessage
                m = EmailMessage()
                m['From'] = 'py@example.org'
                m['To'] = 'alice@test.example'
                m['Subject'] = 'from smtplib'
                m.set_content('h\\u00e9llo from python\\n')
                with smtplib.SMTP('127.0.0.1', %d) as s:
                    s.ehlo('python.example')
                    assert s.has_extn('pipelining') and s.has_extn('8bitmime') and s.has_extn('size')
                    r = s.send_message(m)
                    assert r == {}, r
                print('sent')
                """.formatted(smtp.port);
            Path out = dir.resolve("py.out");
            Files.writeString(dir.resolve("send.py"), script);
            assertEquals(0, run(List.of("python3", dir.resolve("send.py").toString()), out), Files.readString(out));
            TestHome.Stored s = smtp.stored().get(0);
            assertEquals(new Address("py@example.org"), s.envelope().sender());
            assertTrue(s.message().contains("Subject: from smtplib\n"), s.message());
            assertTrue(s.message().contains("(HELO python.example)"), s.message());
        }
    }

    @Test
    void swaksSendsAMessage() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/swaks")), "swaks is installed by scripts/deps test");
        try (SmtpHome smtp = new SmtpHome(dir.resolve("home"), SmtpHome.RULES)) {
            Path out = dir.resolve("swaks.out");
            int rc = run(List.of("swaks", "--server", "127.0.0.1:" + smtp.port, "--from", "swaks@example.org",
                "--to", "alice@test.example", "--ehlo", "swaks.example", "--pipeline", "--body", "hello from swaks"),
                out);
            assertEquals(0, rc, Files.readString(out));
            TestHome.Stored s = smtp.stored().get(0);
            assertEquals(List.of(new Address("alice@test.example")), s.envelope().recipients());
            assertTrue(s.message().contains("hello from swaks"), s.message());
        }
    }

    /** qmail-smtpd on stdin/stdout under Debian's ucspi-tcp tcpserver, with a rules file from Debian's tcprules. */
    @Test
    void qmailSmtpdRunsUnderUcspiTcp() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tcpserver")), "ucspi-tcp is installed by scripts/deps test");
        TestHome home = new TestHome(dir.resolve("home"));
        home.control("queueminfree", "0");
        home.start();
        Path rules = dir.resolve("rules.cdb");
        Process tr = new ProcessBuilder("/usr/bin/tcprules", rules.toString(), dir.resolve("rules.tmp").toString()).start();
        tr.getOutputStream().write("127.:allow,RELAYCLIENT=\"\"\n".getBytes(StandardCharsets.US_ASCII));
        tr.getOutputStream().close();
        assertEquals(0, tr.waitFor());
        int port = SmtpHome.freePort();
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/tcpserver", "-HRl0", "-x", rules.toString(), "127.0.0.1",
            Integer.toString(port), Dist.bin("qmail-smtpd").toString());
        pb.environment().put("JQMAIL_HOME", home.dir.toString());
        Process server = pb.redirectErrorStream(true).redirectOutput(dir.resolve("tcpserver.log").toFile()).start();
        try {
            try (SmtpClient client = SmtpClient.whenListening(port, 5)) {
                client.expect(220);
                client.send("EHLO ucspi.example", "MAIL FROM:<u@example.org>", "RCPT TO:<anyone@relayed.example>",
                    "DATA");
                client.expect(250);
                client.expect(250);
                client.expect(250);
                client.expect(354);
                client.raw("Subject: via ucspi-tcp\r\n\r\nbody\r\n.\r\n").expect(250);
                client.send("QUIT").expect(221);
            }
            TestHome.Stored s = home.stored().get(0);
            assertTrue(s.message().startsWith("Received: from unknown (HELO ucspi.example) (127.0.0.1)\n"),
                "TCPREMOTEIP from ucspi-tcp's environment: " + s.message());
            assertEquals(List.of(new Address("anyone@relayed.example")), s.envelope().recipients(),
                "RELAYCLIENT from ucspi-tcp's rules");
        } finally {
            server.destroy();
            server.waitFor();
            home.close();
        }
    }
}
