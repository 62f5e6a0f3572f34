package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** qmail-qstat and qmail-qread output, byte for byte, and their JSON forms. */
class InspectIT {
    @TempDir
    Path dir;

    @Test
    void qreadAndQstatShowWhatIsQueued() throws Exception {
        try (TestHome home = new TestHome(dir.resolve("home"))) {
            // Local deliveries defer, so both messages stay in the queue while we look.
            Files.writeString(home.home.alias().resolve(".qmail-bob"), "|exit 111\n");
            Files.writeString(home.home.alias().resolve(".qmail-postmaster"), "|exit 111\n");
            home.start();
            byte[] m = "Subject: a\n\nbody\n".getBytes(StandardCharsets.US_ASCII);
            assertEquals(0, Dist.qmailQueue(home.dir, m,
                "Falice@example.org\0Tbob@test.example\0Tcarol@remote.example\0\0".getBytes(StandardCharsets.US_ASCII))
                .code());
            assertEquals(0, Dist.qmailQueue(home.dir, m, "F\0Tpostmaster@test.example\0\0"
                .getBytes(StandardCharsets.US_ASCII)).code());

            Dist.Result qstat = Dist.run(home.dir, "qmail-qstat");
            assertTrue(qstat.stdout().matches("messages in queue: 2\nmessages in queue but not yet preprocessed: [0-2]\n"),
                qstat.stdout());

            String qread = Dist.run(home.dir, "qmail-qread").stdout();
            String date = "\\d{1,2} [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT";
            long size = home.stored().get(0).body().length;
            assertTrue(qread.matches(date + "  #\\d+  " + size + "  <alice@example.org> \n"
                + "\tlocal\tbob@test.example\n"
                + "\tremote\tcarol@remote.example\n"
                + date + "  #\\d+  \\d+  <> \n"
                + "\tlocal\tpostmaster@test.example\n"), qread);

            Dist.Result json = home.jqmail("qread", "--json");
            assertEquals(0, json.code());
            assertTrue(json.stdout().startsWith("[{\"id\":\""), json.stdout());
            assertTrue(json.stdout().contains("\"sender\":\"alice@example.org\",\"recipients\":[{\"channel\":\"local\","
                + "\"address\":\"bob@test.example\",\"done\":false}"), json.stdout());
            assertTrue(json.stdout().contains("\"uid\":"), "the submitting uid is recorded");
            String qjson = home.jqmail("qstat", "--json").stdout();
            assertTrue(qjson.matches("\\{\"messages\":2,\"unprocessed\":[0-2],\"age_minutes\":\\[.*\n"), qjson);
            assertTrue(qjson.contains("{\"domain\":\"TOTAL\",\"recipients\":[3,"), qjson);
        }
    }

    @Test
    void ordinaryUsersCannotReadTheQueueDirectly() throws Exception {
        assumeTrue((Integer) java.nio.file.Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
            "needs root to become another user");
        try (TestHome home = new TestHome(dir.resolve("home"))) {
            java.nio.file.Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions
                .fromString("rwxr-xr-x"));
            Process p = new ProcessBuilder("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                Dist.bin("qmail-qread").toString()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            assumeTrue(!out.contains("Permission denied") || out.contains("qmail-qread"),
                "dist/ must be readable by nobody: " + out);
            assertEquals(111, p.exitValue(), out);
            assertTrue(out.startsWith("qmail-qread: unable to read the queue: "), out);
            assertEquals(1, out.lines().count(), out);
        }
    }
}
