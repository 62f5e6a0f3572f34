package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service files of {@code jqmail service}: systemd accepts the unit
 * ({@code systemd-analyze verify}; systemd is not PID 1 here, so it is not
 * started), and Debian's daemontools runs the service directory for real
 * under {@code svscan}: SMTP answers, a message is delivered, multilog has
 * the daemons' lines, and {@code svc -dx} stops everything.
 */
class ServiceIT {
    @TempDir
    Path dir;

    @Test
    void systemdAcceptsTheUnit() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "no systemd-analyze on this machine");
        try (TestHome home = new TestHome(dir.resolve("home"))) {
            Dist.Result unit = home.jqmail("service", "systemd");
            assertEquals(0, unit.code(), unit.stderr());
            assertTrue(unit.stdout().contains("\nExecStart=" + Dist.bin("jqmail") + " start --home " + home.dir
                + " --foreground\n"), unit.stdout());
            Path f = dir.resolve("jqmail-test.service");
            Files.writeString(f, unit.stdout());
            assertEquals("", SetupIT.output("systemd-analyze", "verify", f.toString()).strip(),
                "systemd-analyze verify has nothing to say");
            assertEquals(0, SetupIT.run("systemd-analyze", "verify", f.toString()));
        }
    }

    @Test
    void svscanRunsTheServiceDirectory() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/svscan")), "daemontools is not installed (scripts/deps test)");
        Path services = dir.resolve("service");
        Process svscan = null;
        try (TestHome home = new TestHome(dir.resolve("home"))) {
            int port = SmtpHome.freePort();
            home.control("smtplisten", "127.0.0.1:" + port);
            Dist.Result made = home.jqmail("service", "daemontools", services.resolve("jqmail").toString());
            assertEquals(0, made.code(), made.stderr());
            svscan = new ProcessBuilder("svscan", services.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("svscan.out").toFile()).start();
            for (int i = 0; i < 600 && !Daemons.greets("127.0.0.1", port, "220 "); i++) {
                Thread.sleep(100);
            }
            try (SmtpClient c = new SmtpClient(port)) {
                c.sendMessage("client.example", "a@client.example", List.of("postmaster@test.example"),
                    "Subject: under svscan", "", "hello");
            }
            Path fresh = home.home.alias().resolve("Maildir/new");
            for (int i = 0; i < 300 && TestHome.entries(fresh) == 0; i++) {
                Thread.sleep(100);
            }
            assertEquals(1, TestHome.entries(fresh), "delivered under svscan");
            Path log = services.resolve("jqmail/log/main/current");
            for (int i = 0; i < 100 && !(Files.exists(log) && Files.readString(log).contains("qmail-send: ")); i++) {
                Thread.sleep(100);
            }
            assertTrue(Files.readString(log).matches("(?s)@[0-9a-f]{24} .*qmail-send: .*"), "multilog has the lines");
            assertEquals(0, SetupIT.run("svc", "-dx", services.resolve("jqmail").toString(),
                services.resolve("jqmail/log").toString()));
            for (int i = 0; i < 300 && home.jqmail("status").code() != 3; i++) {
                Thread.sleep(100);
            }
            assertEquals(3, home.jqmail("status").code(), "svc -d stopped every daemon");
        } finally {
            if (svscan != null) {
                svscan.descendants().forEach(ProcessHandle::destroy);
                svscan.destroy();
                svscan.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
