package jqmail.local.lspawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    @TempDir
    Path dir;

    private int me() throws IOException {
        return (Integer) Files.getAttribute(dir, "unix:uid");
    }

    @Test
    void aNewIndexIsSeenWithoutARestart() throws Exception {
        Path src = dir.resolve("aliases");
        Path index = dir.resolve("aliases.cdb");
        Aliases a = new Aliases(index, me(), 0);
        assertNull(a.current(), "no index yet: no aliases");
        Files.writeString(src, "staff: ann\n");
        AliasIndex.compile(src, index);
        assertEquals(List.of("ann"), a.current().lookup("staff").stream().map(Target::text).toList());
        Files.writeString(src, "staff: bob\n");
        AliasIndex.compile(src, index);
        assertEquals(List.of("bob"), a.current().lookup("staff").stream().map(Target::text).toList());
        Aliases slow = new Aliases(index, me(), Long.MAX_VALUE);
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
        Aliases a = new Aliases(dir.resolve("aliases.cdb"), me());
        assertEquals(List.of("ann", "bob@example.org"), a.include(list).stream().map(Target::text).toList());
        Files.setPosixFilePermissions(list, PosixFilePermissions.fromString("rw-rw-r--"));
        IOException e = assertThrows(IOException.class, () -> a.include(list));
        assertTrue(e.getMessage().contains("writable by no one else"), e.getMessage());
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
            () -> new Aliases(dir.resolve("aliases.cdb"), owner + 1).include(list));
        assertTrue(e.getMessage().contains("must belong to root or the alias user"), e.getMessage());
    }
}
