package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jqmail.common.Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tcpserver as a server: connection limits, rules that set variables, QMAILQUEUE, DNSBLs, a missing queue. */
class SmtpServerIT {
    @TempDir
    Path dir;

    /** Many clients at once: each is served or told 421, nobody hangs, and the server serves on. */
    @Test
    void fiveHundredConnectionsAtOnce() throws Exception {
        try (SmtpHome smtp = new SmtpHome(dir.resolve("home"), SmtpHome.RULES)) {
            ExecutorService pool = Executors.newFixedThreadPool(500);
            List<Future<Integer>> replies = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                replies.add(pool.submit(() -> {
                    try (SmtpClient c = smtp.connect()) {
                        SmtpClient.Response g = c.read();
                        if (g != null && g.code() == 220) {
                            Thread.sleep(200);
                            c.send("QUIT").expect(221);
                        }
                        return g == null ? -1 : g.code();
                    }
                }));
            }
            Map<Integer, Integer> byCode = new ConcurrentHashMap<>();
            for (Future<Integer> f : replies) {
                byCode.merge(f.get(120, TimeUnit.SECONDS), 1, Integer::sum);
            }
            pool.shutdown();
            assertEquals(500, byCode.getOrDefault(220, 0) + byCode.getOrDefault(421, 0), "every client answered: " + byCode);
            assertTrue(byCode.getOrDefault(421, 0) > 0, "more than 20 at once from one address get 421: " + byCode);
            try (SmtpClient c = smtp.connect()) {
                c.expect(220);
                c.send("NOOP").expect(250);
            }
        }
    }

    /** Past -c the kernel holds the connections until a session ends: all 300 are served in turn. */
    @Test
    void pastTheTotalLimitClientsWait() throws Exception {
        Path d = dir.resolve("home2");
        TestHome pre = new TestHome(d);
        pre.control("concurrencyincoming", "10");
        pre.control("concurrencyincomingip", "1000");
        try (SmtpHome smtp = new SmtpHome(d, SmtpHome.RULES)) {
            ExecutorService pool = Executors.newFixedThreadPool(300);
            List<Future<Integer>> replies = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                replies.add(pool.submit(() -> {
                    try (SmtpClient c = smtp.connect()) {
                        int code = c.read().code();
                        c.send("QUIT").expect(221);
                        return code;
                    }
                }));
            }
            for (Future<Integer> f : replies) {
                assertEquals(220, f.get(120, TimeUnit.SECONDS));
            }
            pool.shutdown();
        }
    }

    @Test
    void rulesSetQmailqueueAndRblsmtpd() throws Exception {
        Path qq = dir.resolve("fake-qq");
        Path got = dir.resolve("got");
        Files.createDirectories(got);
        Files.writeString(qq, "#!/bin/sh\ncat > " + got + "/message\ncat <&1 > " + got + "/envelope\nexit 0\n");
        Files.setPosixFilePermissions(qq, PosixFilePermissions.fromString("rwxr-xr-x"));
        String rules = "127.0.0.3:allow,RELAYCLIENT=\"\",QMAILQUEUE=\"" + qq + "\"\n"
            + "127.0.0.4:allow,RBLSMTPD=\"-refused for a test\"\n"
            + "127.0.0.5:allow,RBLSMTPD=\"slow down\"\n"
            + ":allow\n";
        try (SmtpHome smtp = new SmtpHome(dir.resolve("home"), rules)) {
            try (SmtpClient c = smtp.connect("127.0.0.3")) {
                c.expect(220);
                c.send("HELO filter.example", "MAIL FROM:<f@example.org>", "RCPT TO:<x@far.example>", "DATA");
                c.expect(250);
                c.expect(250);
                c.expect(250);
                c.expect(354);
                c.raw("Subject: to the filter\r\n\r\nbody\r\n.\r\n").expect(250);
            }
            assertTrue(Files.readString(got.resolve("message")).endsWith("Subject: to the filter\n\nbody\n"));
            assertEquals("Ff@example.org\0Tx@far.example\0\0", Files.readString(got.resolve("envelope")));
            assertEquals(List.of(), smtp.stored(), "QMAILQUEUE replaces the queue daemon");

            try (SmtpClient c = smtp.connect("127.0.0.4")) {
                c.expect(220);
                c.send("HELO x", "MAIL FROM:<a@example.org>", "RCPT TO:<alice@test.example>");
                c.expect(250);
                c.expect(250);
                assertTrue(c.expect(553).text().contains("refused for a test"));
            }
            try (SmtpClient c = smtp.connect("127.0.0.5")) {
                c.expect(220);
                c.send("MAIL FROM:<a@example.org>", "RCPT TO:<alice@test.example>", "DATA");
                c.expect(250);
                c.expect(451);
                c.expect(451);
            }
        }
    }

    @Test
    void aDnsblListingRefusesTheClient() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/dnsmasq")), "dnsmasq-base is installed by scripts/deps test");
        int dnsPort = SmtpHome.freePort();
        Process dns = new ProcessBuilder("/usr/sbin/dnsmasq", "--keep-in-foreground", "--no-daemon", "--port=" + dnsPort,
            "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts", "--conf-file=/dev/null",
            "--pid-file=" + dir.resolve("dnsmasq.pid"), "--address=/6.0.0.127.bl.test/127.0.0.2",
            "--txt-record=6.0.0.127.bl.test,listed for a test")
            .redirectErrorStream(true).redirectOutput(dir.resolve("dnsmasq.log").toFile()).start();
        try {
            Path d = dir.resolve("home");
            TestHome pre = new TestHome(d);
            pre.control("dnsbls", "bl.test");
            Dist.Result r = Dist.run(null, null, Map.of("JQMAIL_DNS", "127.0.0.1:" + dnsPort), "jqmail", "start",
                "--home", d.toString(), "--smtp", "127.0.0.1:" + SmtpHome.freePort());
            assertEquals(0, r.code(), r.stderr());
            int port = Integer.parseInt(Listeners.read(pre.home).address(Listeners.SMTP).replaceAll(".*:", ""));
            try (SmtpClient c = new SmtpClient(port, "127.0.0.6")) {
                c.expect(220);
                c.send("HELO listed.example", "MAIL FROM:<a@example.org>", "RCPT TO:<postmaster@test.example>");
                c.expect(250);
                c.expect(250);
                assertTrue(c.expect(451).text().contains("listed for a test"));
            }
            try (SmtpClient c = new SmtpClient(port, "127.0.0.7")) {
                c.expect(220);
                c.send("HELO clean.example", "MAIL FROM:<a@example.org>", "RCPT TO:<postmaster@test.example>");
                c.expect(250);
                c.expect(250);
                c.expect(250);
            }
            pre.close();
        } finally {
            dns.destroy();
            dns.waitFor();
        }
    }

    @Test
    void withTheQueueDaemonUnreachableDataIsRefusedForNow() throws Exception {
        try (SmtpHome smtp = new SmtpHome(dir.resolve("home"), SmtpHome.RULES)) {
            Path sock = smtp.home.home.injectSocket();
            Path aside = sock.resolveSibling("inject.aside");
            Files.move(sock, aside);
            try (SmtpClient c = smtp.connect()) {
                c.expect(220);
                c.send("MAIL FROM:<a@example.org>", "RCPT TO:<alice@test.example>", "DATA");
                c.expect(250);
                c.expect(250);
                c.expect(451);
                c.send("RSET").expect(250);
            } finally {
                Files.move(aside, sock);
            }
            try (SmtpClient c = smtp.connect()) {
                c.expect(220);
                c.send("MAIL FROM:<a@example.org>", "RCPT TO:<alice@test.example>", "DATA");
                c.expect(250);
                c.expect(250);
                c.expect(354);
                c.raw("Subject: later\r\n\r\nok\r\n.\r\n").expect(250);
            }
            assertEquals(new Address("alice@test.example"), smtp.stored().get(0).envelope().recipients().get(0));
        }
    }

    /**
     * Port 25 without a root JVM: something privileged binds the socket and
     * hands it over as descriptor 0 (here a Python stand-in on a free port).
     */
    @Test
    void servesAnInheritedListeningSocket() throws Exception {
        TestHome home = new TestHome(dir.resolve("home"));
        home.control("queueminfree", "0");
        home.start();
        int port = SmtpHome.freePort();
        String py = "import os, socket, sys\n"
            + "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
            + "s.bind(('127.0.0.1', " + port + ")); s.listen(16)\n"
            + "os.dup2(s.fileno(), 0)\n"
            + "os.execv(sys.argv[1], [sys.argv[1], '--inherited', '--home', sys.argv[2], '-', '-', 'qmail-smtpd'])\n";
        Path script = Files.writeString(dir.resolve("bind.py"), py);
        Process server = new ProcessBuilder("python3", script.toString(), Dist.bin("tcpserver").toString(),
            home.dir.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("ts.log").toFile()).start();
        try {
            SmtpClient c = null;
            for (int i = 0; i < 400 && c == null; i++) {
                try {
                    c = new SmtpClient(port);
                    if (c.read() == null) {
                        c.close();
                        c = null;
                    }
                } catch (java.io.IOException e) {
                    c = null;
                    Thread.sleep(25);
                }
            }
            try (SmtpClient client = c) {
                assertTrue(client != null, "served on the inherited socket: " + Files.readString(dir.resolve("ts.log")));
                client.send("NOOP").expect(250);
                client.send("QUIT").expect(221);
            }
        } finally {
            server.destroy();
            server.waitFor();
            home.close();
        }
    }
}
