package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A home on a 4 MiB tmpfs (root only): a message that does not fit fails with 53 and leaves nothing. */
class DiskFullIT {
    @TempDir
    Path dir;
    Path mnt;
    TestHome home;

    @BeforeEach
    void mount() throws Exception {
        mnt = dir.resolve("mnt");
        Files.createDirectories(mnt);
        assumeTrue(InjectErrorsIT.run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mnt.toString()) == 0,
            "mounting a tmpfs needs root");
        home = new TestHome(mnt.resolve("home"));
        home.control("queueminfree", "0");
        home.start();
    }

    @AfterEach
    void unmount() throws Exception {
        if (home != null) {
            home.close();
        }
        InjectErrorsIT.run("umount", mnt.toString());
    }

    @Test
    void aMessageLargerThanTheDiskIs53AndLeavesNothing() throws Exception {
        byte[] big = new byte[6 << 20];
        java.util.Arrays.fill(big, (byte) 'x');
        Dist.Result r = Dist.qmailQueue(home.dir, big, "Fa@b\0Tc@d\0\0".getBytes(StandardCharsets.US_ASCII));
        assertEquals(53, r.code(), r.stderr());
        assertEquals(1, r.errLines().size(), r.stderr());
        assertEquals(List.of(), home.queue.walk());
        assertEquals(0, home.tmpFiles(), "the partial file is removed, and the space with it");
        Dist.Result small = Dist.qmailQueue(home.dir, "Subject: s\n\nsmall\n".getBytes(StandardCharsets.US_ASCII),
            "Fa@b\0Tc@d\0\0".getBytes(StandardCharsets.US_ASCII));
        assertEquals(0, small.code(), "a message that fits is queued afterwards: " + small.stderr());
        assertTrue(home.stored().get(0).message().endsWith("small\n"));
    }
}
