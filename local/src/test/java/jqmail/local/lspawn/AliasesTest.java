package jqmail.local.lspawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import jqmail.local.aliases.AliasIndex;
import jqmail.local.aliases.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alias index as qmail-lspawn holds it, and the :include: files it agrees to read. */
class AliasesTest {
    private static final jnr.posix.POSIX POSIX = jnr.posix.POSIXFactory.getNativePOSIX();

    @TempDir
    Path dir;

    private int me() throws IOException {
        return (Integer) Files.getAttribute(dir, "unix:uid");
    }

    @Test
    void aNewIndexIsSeenWithoutARestart() throws Exception {
        Path src = dir.resolve("aliases");
        Path index = dir.resolve("aliases.cdb");
        Aliases a = new Aliases(POSIX, index, me(), 0);
        assertNull(a.current(), "no index yet: no aliases");
        Files.writeString(src, "staff: ann\n");
        AliasIndex.compile(src, index);
        assertEquals(List.of("ann"), a.current().lookup("staff").stream().map(Target::text).toList());
        Files.writeString(src, "staff: bob\n");
        AliasIndex.compile(src, index);
        assertEquals(List.of("bob"), a.current().lookup("staff").stream().map(Target::text).toList());
        Aliases slow = new Aliases(POSIX, index, me(), Long.MAX_VALUE);
        assertEquals(List.of("bob"), slow.current().lookup("staff").stream().map(Target::text).toList());
        Files.writeString(src, "staff: carol\n");
        AliasIndex.compile(src, index);
        assertEquals(List.of("bob"), slow.current().lookup("staff").stream().map(Target::text).toList(),
            "between two looks the index in hand answers");
    }

    @Test
    void anIncludeFileOthersMayWriteIsRefused() throws Exception {
        Path list = dir.resolve("list");
        Files.writeString(list, "ann, bob@example.org\n");
        Files.setPosixFilePermissions(list, PosixFilePermissions.fromString("rw-r--r--"));
        Aliases a = new Aliases(POSIX, dir.resolve("aliases.cdb"), me());
        assertEquals(List.of("ann", "bob@example.org"), a.include(list).stream().map(Target::text).toList());
        Files.setPosixFilePermissions(list, PosixFilePermissions.fromString("rw-rw-r--"));
        IOException e = assertThrows(IOException.class, () -> a.include(list));
        assertTrue(e.getMessage().contains("writable by no one else"), e.getMessage());
        Files.setPosixFilePermissions(list, PosixFilePermissions.fromString("rw-r--r--"));
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, list);
        assertThrows(IOException.class, () -> a.include(link), "a link is not followed");
        Files.createLink(dir.resolve("second-name"), list);
        assertThrows(IOException.class, () -> a.include(list), "nor is a file with a second name read");
        Path fifo = dir.resolve("fifo");
        assertEquals(0, POSIX.mkfifo(fifo.toString(), 0644));
        assertThrows(IOException.class, () -> a.include(fifo), "a FIFO is refused without blocking");
    }

    @Test
    void aSecretOfRootsIsNotReadAsAList() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(me() == 0, "only root makes a file of root's");
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "root:$y$j9T$hash:19000:0:99999:7:::\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r-----"));
        IOException e = assertThrows(IOException.class,
            () -> new Aliases(POSIX, dir.resolve("aliases.cdb"), 4242).include(secret));
        assertFalse(e.getMessage().contains("hash"), e.getMessage());
    }

    @Test
    void anIncludeFileOfAnyoneButRootOrTheAliasUserIsRefused() throws Exception {
        Path list = dir.resolve("list");
        Files.writeString(list, "ann\n");
        Files.setPosixFilePermissions(list, PosixFilePermissions.fromString("rw-r--r--"));
        if (me() == 0) {
            Files.setAttribute(list, "unix:uid", 4242);   // root's own files are trusted: give this one away
        }
        int owner = (Integer) Files.getAttribute(list, "unix:uid");
        IOException e = assertThrows(IOException.class,
            () -> new Aliases(POSIX, dir.resolve("aliases.cdb"), owner + 1).include(list));
        assertTrue(e.getMessage().contains("must be a file of root's that anyone may read, or the alias user's"), e.getMessage());
    }
}
