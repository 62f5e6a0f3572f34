package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jqmail.common.QueueExit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to bin/qmail-queue: qmail's exit code, exactly one line on
 * stderr, and nothing committed.
 */
class InjectErrorsIT {
    static final byte[] MESSAGE = "Subject: bad\n\nbody\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;
    TestHome home;

    @BeforeEach
    void start() throws Exception {
        home = new TestHome(dir.resolve("home"));
        home.start();
    }

    @AfterEach
    void stop() throws Exception {
        home.close();
    }

    static byte[] env(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    void expect(int code, boolean permanent, Dist.Result r, String what) throws IOException {
        assertEquals(code, r.code(), what + ": " + r.stderr());
        assertEquals(permanent, QueueExit.isPermanent(r.code()), what);
        List<String> lines = r.errLines();
        assertEquals(1, lines.size(), what + ": one line on stderr, got " + lines);
        assertTrue(lines.get(0).startsWith("qmail-queue: "), lines.get(0));
        assertEquals(List.of(), home.queue.walk(), what + ": nothing committed");
    }

    @Test
    void truncatedEnvelopes() throws Exception {
        expect(54, false, Dist.qmailQueue(home.dir, MESSAGE, env("Fa@b\0Tc@d\0")), "no final NUL");
        expect(54, false, Dist.qmailQueue(home.dir, MESSAGE, env("Fa@b\0Tc@d")), "cut inside a record");
        expect(54, false, Dist.qmailQueue(home.dir, MESSAGE, env("")), "empty envelope");
        expect(91, false, Dist.qmailQueue(home.dir, MESSAGE, env("Xa@b\0\0")), "not an F record");
    }

    @Test
    void addressesWithCrOrLfArePermanentFailures() throws Exception {
        expect(12, true, Dist.qmailQueue(home.dir, MESSAGE, env("Fa@b\0Tc@d\r\nRCPT TO:<e@f>\0\0")), "CR LF");
        expect(12, true, Dist.qmailQueue(home.dir, MESSAGE, env("Fa\n@b\0Tc@d\0\0")), "LF in sender");
    }

    @Test
    void addressesOver1002BytesAre11() throws Exception {
        expect(11, true, Dist.qmailQueue(home.dir, MESSAGE, env("Fa@b\0T" + "x".repeat(1003) + "\0\0")), "1003 bytes");
        Dist.Result ok = Dist.qmailQueue(home.dir, MESSAGE, env("Fa@b\0T" + "x".repeat(1002) + "\0\0"));
        assertEquals(0, ok.code(), "1002 bytes is still fine: " + ok.stderr());
    }

    @Test
    void daemonNotRunningIsTemporary() throws Exception {
        home.stop();
        expect(73, false, Dist.qmailQueue(home.dir, MESSAGE, env("Fa@b\0Tc@d\0\0")), "no daemon");
    }

    @Test
    void homeMissingIs61() throws Exception {
        Dist.Result r = Dist.qmailQueue(dir.resolve("nowhere"), MESSAGE, env("Fa@b\0Tc@d\0\0"));
        assertEquals(61, r.code(), r.stderr());
        assertEquals(1, r.errLines().size());
    }

    @Test
    void queueDirectoryMissingIsTemporary() throws Exception {
        Path tmp = home.queue.tmp();
        Path aside = tmp.resolveSibling("tmp.aside");
        Files.move(tmp, aside);
        try {
            expect(62, false, Dist.qmailQueue(home.dir, MESSAGE, env("Fa@b\0Tc@d\0\0")), "queue/tmp missing");
        } finally {
            Files.move(aside, tmp);
        }
        assertEquals(0, Dist.qmailQueue(home.dir, MESSAGE, env("Fa@b\0Tc@d\0\0")).code(), "and back");
    }

    @Test
    void queueDirectoryUnwritableIsTemporary() throws Exception {
        // Root ignores modes; an immutable directory stops root too.
        assumeTrue(run("chattr", "+i", home.queue.todo().toString()) == 0, "chattr +i needs root and ext4");
        try {
            expect(62, false, Dist.qmailQueue(home.dir, MESSAGE, env("Fa@b\0Tc@d\0\0")), "todo/ immutable");
        } finally {
            run("chattr", "-i", home.queue.todo().toString());
        }
        assertEquals(0, home.tmpFiles(), "the scratch file was removed");
    }

    @Test
    void belowTheFloorIsTemporary() throws Exception {
        home.control("queueminfree", Long.toString(Long.MAX_VALUE / 2));
        home.reread("qmail-queued");
        Dist.Result r = Dist.qmailQueue(home.dir, MESSAGE, env("Fa@b\0Tc@d\0\0"));
        expect(53, false, r, "below queueminfree");
        assertTrue(r.stderr().contains("floor"), r.stderr());
    }

    static int run(String... cmd) throws Exception {
        return new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }
}
