package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jqmail start, stop and status as DESIGN §10 describes them, on real processes. */
class LifecycleIT {
    @TempDir
    Path dir;

    @Test
    void startIsIdempotentRestartsTheDeadAndStopWaits() throws Exception {
        try (TestHome home = new TestHome(dir.resolve("home"))) {
            Dist.Result down = home.jqmail("status");
            assertEquals(3, down.code());
            assertTrue(down.stdout().contains("qmail-queued: down"), down.stdout());

            home.start();
            assertTrue(Daemons.accepts(home.home.injectSocket()), "start returns once the daemon accepts");
            long first = home.daemonPid();
            Dist.Result up = home.jqmail("status");
            assertEquals(0, up.code(), up.stdout());
            assertTrue(up.stdout().matches("(?s)supervise: up \\(pid \\d+\\) \\d+ seconds\n"
                + "qmail-queued: up \\(pid " + first + "\\) \\d+ seconds, ready\n"
                + "qmail-lspawn: up \\(pid \\d+\\) \\d+ seconds, ready\n"
                + "qmail-rspawn: up \\(pid \\d+\\) \\d+ seconds, ready\n"
                + "qmail-send: up \\(pid \\d+\\) \\d+ seconds, ready\n"), up.stdout());
            String cmdline = Files.readString(Path.of("/proc/" + first + "/cmdline")).replace('\0', ' ');
            assertTrue(cmdline.startsWith("qmail-queued "), "ps shows the program: " + cmdline);
            assertTrue(cmdline.contains(" --home " + home.dir), "ps shows the home: " + cmdline);

            home.start();
            assertEquals(first, home.daemonPid(), "a second start leaves the running daemon alone");

            for (String sig : new String[] {"HUP", "ALRM", "USR1"}) {
                assertEquals(0, InjectErrorsIT.run("kill", "-" + sig, Long.toString(first)));
            }
            Thread.sleep(300);
            assertTrue(ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false), "signals do not kill it");

            assertEquals(0, InjectErrorsIT.run("kill", "-KILL", Long.toString(first)));
            long second = awaitNewPid(home, first);
            assertNotEquals(first, second);
            assertEquals(0, Dist.qmailQueue(home.dir, "x\n".getBytes(StandardCharsets.US_ASCII),
                "Fa@b\0Tc@d\0\0".getBytes(StandardCharsets.US_ASCII)).code(), "the restarted daemon takes mail");
            assertTrue(home.log().contains("exited") || Files.readString(home.home.log().resolve("supervise/current"))
                .contains("exited"), "the supervisor logged the death");

            home.stop();
            assertFalse(ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false), "stop waits for exit");
            assertEquals(3, home.jqmail("status").code());
            assertFalse(Files.exists(home.home.pidDir().resolve("qmail-queued.pid")));
            Dist.Result again = home.jqmail("stop");
            assertEquals(0, again.code());
            assertTrue(again.stdout().contains("not running"));
        }
    }

    /**
     * nohup starts a program with SIGHUP ignored, and a JVM then installs no handler for it, silently: the
     * daemons would never reread their control files. The launcher puts the signal back for them.
     */
    @Test
    void daemonsStartedUnderNohupStillRereadTheirControlFilesOnSighup() throws Exception {
        try (TestHome home = new TestHome(dir.resolve("home5"))) {
            Process p = new ProcessBuilder("nohup", Dist.bin("jqmail").toString(), "start", "--home",
                home.dir.toString(), "--smtp", "none").redirectErrorStream(true)
                .redirectOutput(dir.resolve("nohup.out").toFile()).start();
            assertEquals(0, p.waitFor(), Files.readString(dir.resolve("nohup.out")));
            home.reread("qmail-queued");
            home.reread("qmail-send");
        }
    }

    @Test
    void logLinesCarryTai64nStamps() throws Exception {
        try (TestHome home = new TestHome(dir.resolve("home2"))) {
            home.start();
            String log = Files.readString(home.home.log().resolve("qmail-queued/current"));
            String first = log.lines().findFirst().orElseThrow();
            assertTrue(first.matches("@4000000[0-9a-f]{17} status: .*"), first);
        }
    }

    @Test
    void foregroundRunsWithoutRestartsAndStopsWithItsDaemons() throws Exception {
        List<Process> started = new ArrayList<>();
        try (TestHome home = new TestHome(dir.resolve("home3"))) {
            Process fg = foreground(home, "fg.log", started);
            assertEquals(0, home.jqmail("status").code(), "pid files written in the foreground too");
            long daemon = home.daemonPid();
            assertEquals(0, InjectErrorsIT.run("kill", "-KILL", Long.toString(daemon)));
            assertTrue(fg.waitFor(30, TimeUnit.SECONDS), "the foreground run ends with its daemon");
            assertEquals(111, fg.exitValue());
            String log = Files.readString(dir.resolve("fg.log"));
            assertTrue(log.contains("qmail-queued: status: queue daemon ready"), "daemon output prefixed: " + log);

            Process again = foreground(home, "fg2.log", started);
            long second = home.daemonPid();
            again.destroy();
            assertTrue(again.waitFor(30, TimeUnit.SECONDS), "SIGTERM stops the foreground run");
            assertFalse(ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false), "and its daemons");
        } finally {
            for (Process p : started) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    @Test
    void theFirstSmtpClientOfAFreshStartGetsItsMessageQueued() throws Exception {
        Process fg = null;
        try (TestHome home = new TestHome(dir.resolve("home4"))) {
            int port = SmtpHome.freePort();
            fg = new ProcessBuilder(Dist.bin("jqmail").toString(), "start", "--home", home.dir.toString(), "--smtp",
                "127.0.0.1:" + port, "--foreground").redirectErrorStream(true)
                .redirectOutput(dir.resolve("fg4.log").toFile()).start();
            // Not listening yet: the client tries again at once, as a script would.
            SmtpClient c = SmtpClient.whenListening(port, 30);
            assertTrue(c != null, "SMTP never opened: " + Files.readString(dir.resolve("fg4.log")));
            c.expect(220);
            c.send("HELO client.example").expect(250);
            c.send("MAIL FROM:<a@client.example>").expect(250);
            c.send("RCPT TO:<postmaster@test.example>").expect(250);
            c.send("DATA").expect(354);
            SmtpClient.Response r = c.send("Subject: first", "", "hello", ".").read();
            assertEquals(250, r.code(), "SMTP opens only when the queue takes messages: " + r.text());
        } finally {
            if (fg != null) {
                fg.descendants().forEach(ProcessHandle::destroyForcibly);
                fg.destroyForcibly();
            }
        }
    }

    private Process foreground(TestHome home, String log, List<Process> started) throws Exception {
        Process p = new ProcessBuilder(Dist.bin("jqmail").toString(), "start", "--home", home.dir.toString(), "--smtp", "none",
            "--foreground").redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
        started.add(p);
        for (int i = 0; i < 400; i++) {
            Optional<ProcessHandle> d = new PidFile(home.home, "qmail-queued").live();
            if (d.isPresent() && d.get().parent().map(ProcessHandle::pid).orElse(-1L) == p.pid()
                && Daemons.accepts(home.home.injectSocket())) {
                return p;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("foreground run not ready: " + Files.readString(dir.resolve(log)));
    }

    private static long awaitNewPid(TestHome home, long old) throws Exception {
        for (int i = 0; i < 400; i++) {
            Optional<ProcessHandle> p = new PidFile(home.home, "qmail-queued").live();
            if (p.isPresent() && p.get().pid() != old && Daemons.accepts(home.home.injectSocket())) {
                return p.get().pid();
            }
            Thread.sleep(25);
        }
        throw new AssertionError("not restarted" + home.log());
    }
}
