package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * POP3 on the real supervisor: the front in tcpserver (STLS on one port,
 * TLS from the first byte on another), the login handed to qmail-lspawn,
 * which asks the auth service and starts qmail-pop3d as the mailbox's
 * account. Python's poplib and fetchmail fetch and delete; a wrong password
 * and an unknown user get the same answer; a command pipelined behind STLS
 * is dropped; a 10,000-byte line and a garbled handshake end nothing but
 * themselves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Pop3IT {
    static final String PASSWORD = "pop secret 7";

    @TempDir
    static Path dir;
    TestHome h;
    int pop3;
    int pop3s;
    Path maildir;

    @BeforeAll
    void start() throws Exception {
        h = new TestHome(dir.resolve("home"));
        h.control("authfaildelay", "0");
        maildir = h.addUser("carol", PASSWORD);
        pop3 = SmtpHome.freePort();
        pop3s = SmtpHome.freePort();
        h.control("pop3slisten", "127.0.0.1:" + pop3s);   // as under systemd: the address from control
        Dist.Result r = h.jqmail("start", "--smtp", "none", "--pop3", "127.0.0.1:" + pop3);
        assertEquals(0, r.code(), r.stdout() + r.stderr() + h.log());
    }

    @AfterAll
    void stop() throws Exception {
        h.close();
    }

    @BeforeEach
    void twoMessages() throws Exception {
        for (String sub : new String[] {"new", "cur"}) {
            try (var s = Files.list(maildir.resolve(sub))) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.writeString(maildir.resolve("new/1700000000.M1P1.test"), "Subject: first\n\nbody one\n.dot line\n");
        Files.writeString(maildir.resolve("new/1700000001.M2P2.test"), "Subject: second\n\nbody two\n");
    }

    private long messages() throws Exception {
        return TestHome.entries(maildir.resolve("new")) + TestHome.entries(maildir.resolve("cur"));
    }

    private void python(String name, String script) throws Exception {
        Path py = dir.resolve(name + ".py");
        Files.writeString(py, "import poplib, ssl\nctx = ssl.create_default_context()\nctx.check_hostname = False\n"
            + "ctx.verify_mode = ssl.CERT_NONE\n" + script);
        Path out = dir.resolve(name + ".out");
        int rc = SmtpInteropIT.run(List.of("python3", py.toString()), out);
        assertEquals(0, rc, Files.readString(out));
    }

    @Test
    void poplibRetrievesOverStlsAndDeleteThenQuitRemovesTheFile() throws Exception {
        python("stls", """
            p = poplib.POP3('127.0.0.1', %d)
            assert 'STLS' in p.capa()
            p.stls(context=ctx)
            assert 'STLS' not in p.capa()
            p.user('carol')
            p.pass_('%s')
            count, size = p.stat()
            assert count == 2, count
            resp, lines, octets = p.retr(1)
            assert b'Subject: first' in lines and b'.dot line' in lines, lines
            uidls = [l.split()[1] for l in p.uidl()[1]]
            assert uidls == [b'1700000000.M1P1.test', b'1700000001.M2P2.test'], uidls
            p.dele(1)
            p.quit()
            """.formatted(pop3, PASSWORD));
        assertEquals(1, messages(), "DELE and QUIT removed one message, the other stays");
        assertFalse(Files.exists(maildir.resolve("new/1700000000.M1P1.test")));
        assertTrue(Files.exists(maildir.resolve("cur/1700000001.M2P2.test:2,")), "seen: moved to cur/ at QUIT");
    }

    @Test
    void poplibRetrievesOverImplicitTlsAsNameAtMe() throws Exception {
        python("pop3s", """
            p = poplib.POP3_SSL('127.0.0.1', %d, context=ctx)
            p.user('carol@test.example')
            p.pass_('%s')
            assert p.stat()[0] == 2
            assert b'body two' in p.retr(2)[1]
            p.quit()
            """.formatted(pop3s, PASSWORD));
        assertEquals(2, messages(), "nothing deleted");
    }

    @Test
    void fetchmailFetchesAndDeletesOverStlsAndOver995() throws Exception {
        for (List<String> how : List.of(List.of(Integer.toString(pop3), "sslproto TLS1.2+"),
                List.of(Integer.toString(pop3s), "ssl"))) {
            twoMessages();
            Path got = Files.createDirectories(dir.resolve("fetched-" + how.get(0)));
            Path rc = dir.resolve("fetchmailrc");
            Files.writeString(rc, "poll 127.0.0.1 port " + how.get(0) + " protocol pop3 user \"carol\" password \""
                + PASSWORD + "\" " + how.get(1) + " no sslcertck fetchall mda \"/bin/sh -c 'cat > " + got + "/$$'\"\n");
            Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-------"));
            Path out = dir.resolve("fetchmail.out");
            int code = SmtpInteropIT.run(List.of("fetchmail", "-f", rc.toString(), "--nosyslog", "--nodetach", "-v"), out);
            assertEquals(0, code, Files.readString(out));
            assertEquals(2, TestHome.entries(got), Files.readString(out));
            assertEquals(0, messages(), "fetched and deleted: " + how);
        }
    }

    @Test
    void aWrongPasswordAndAnUnknownUserGetTheSameAnswer() throws Exception {
        String wrong;
        String unknown;
        try (RawSmtp c = RawSmtp.connect(pop3)) {
            assertTrue(c.readLine().startsWith("+OK"));
            c.line("USER carol");
            c.readLine();
            c.line("PASS nope");
            wrong = c.readLine();
            c.line("USER nobody");
            c.readLine();
            c.line("PASS nope");
            unknown = c.readLine();
            c.line("USER carol");
            c.readLine();
            c.line("PASS " + PASSWORD);
            assertTrue(c.readLine().startsWith("+OK"), "the same connection may log in after a failure");
            c.line("STAT");
            assertTrue(c.readLine().startsWith("+OK 2 "));
            c.line("QUIT");
            assertTrue(c.readLine().startsWith("+OK"));
        }
        assertTrue(wrong.startsWith("-ERR [AUTH]"), wrong);
        assertEquals(wrong, unknown);
    }

    @Test
    void aCommandPipelinedBehindStlsIsDroppedAndLongLinesAreRefused() throws Exception {
        try (RawSmtp c = RawSmtp.connect(pop3)) {
            c.readLine();
            c.line("X".repeat(10_000));
            assertTrue(c.readLine().startsWith("-ERR line too long"));
            c.send("STLS\r\nUSER carol\r\n");
            assertTrue(c.readLine().startsWith("+OK"));
            c.handshake();
            c.line("PASS " + PASSWORD);
            assertTrue(c.readLine().startsWith("-ERR USER first"), "the USER sent in clear text was never read");
            c.line("STLS");
            assertTrue(c.readLine().startsWith("-ERR"), "no second STLS");
        }
    }

    @Test
    void garbageInsteadOfAHandshakeOn995EndsOnlyThatConnection() throws Exception {
        try (RawSmtp garbage = RawSmtp.connect(pop3s)) {
            garbage.send("USER carol\r\n".repeat(100));
            assertTrue(garbage.closedByServer());
            python("after-garbage", """
                p = poplib.POP3_SSL('127.0.0.1', %d, context=ctx)
                p.user('carol')
                p.pass_('%s')
                p.quit()
                """.formatted(pop3s, PASSWORD));
        }
        String log = Files.readString(h.home.log().resolve("qmail-lspawn/current"), StandardCharsets.UTF_8);
        assertTrue(log.contains("pop3: session for "), log);
    }
}
