package jqmail.common;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnlinkTest {
    @TempDir
    Path dir;

    @Test
    void aFileIsRemovedAndAMissingOneIsNoError() throws Exception {
        Path f = Files.writeString(dir.resolve("info"), "x");
        assertTrue(Unlink.ifPresent(f));
        assertFalse(Files.exists(f));
        assertFalse(Unlink.ifPresent(f));
        assertFalse(Unlink.ifPresent(dir.resolve("no/such/dir/file")));
    }

    @Test
    void aDanglingLinkIsRemovedNotItsTarget() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("gone"));
        assertTrue(Unlink.ifPresent(link));
        assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aNameThatStaysSaysWhy() throws Exception {
        Path d = Files.createDirectory(dir.resolve("d"));
        Files.writeString(d.resolve("inside"), "x");
        assertThrows(DirectoryNotEmptyException.class, () -> Unlink.ifPresent(d));
        assertTrue(Files.isDirectory(d));
    }
}
