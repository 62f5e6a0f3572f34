package jqmail.local.aliases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compiled index: lookups, the atomic replace, staleness, and transitive expansion with loops. */
class AliasIndexTest {
    @TempDir
    Path tmp;

    private AliasIndex compiled(String text) throws Exception {
        Path src = tmp.resolve("aliases");
        Files.writeString(src, text);
        AliasIndex.compile(src, tmp.resolve("aliases.cdb"));
        return AliasIndex.open(tmp.resolve("aliases.cdb"));
    }

    private static List<String> texts(List<Target> ts) {
        return ts.stream().map(Target::text).toList();
    }

    @Test
    void aLookupReturnsTheTypedTargetsInAnyCase() throws Exception {
        AliasIndex i = compiled("Staff: ann, \"|/usr/bin/log x\", /var/mail/staff, :include:/etc/staff\n");
        assertEquals(List.of("ann", "|/usr/bin/log x", "/var/mail/staff", ":include:/etc/staff"),
            texts(i.lookup("STAFF")));
        assertEquals(new Target.Command("/usr/bin/log x"), i.lookup("staff").get(1));
        assertNull(i.lookup("nobody"));
        assertNull(i.lookup(""));
    }

    @Test
    void theSummaryCountsAliasesAndTheirBytes() throws Exception {
        Path src = tmp.resolve("aliases");
        Files.writeString(src, "a: bob\nb: ann, carol\n");
        AliasIndex.Summary s = AliasIndex.compile(src, tmp.resolve("aliases.cdb"));
        assertEquals(2, s.aliases());
        assertEquals("ann\0carol\0".length(), s.longest());
        assertEquals("bob\0".length() + "ann\0carol\0".length(), s.total());
    }

    @Test
    void theIndexIsReadableByOthers() throws Exception {
        compiled("a: b\n");
        assertEquals("rw-r--r--",
            PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("aliases.cdb"))));
    }

    @Test
    void aMalformedFileLeavesTheOldIndexAnsweringAndNoTemporaryFile() throws Exception {
        compiled("root: ann\n");
        Files.writeString(tmp.resolve("aliases"), "root: bob\nbroken line\n");
        assertThrows(AliasFile.Malformed.class, () -> AliasIndex.compile(tmp.resolve("aliases"),
            tmp.resolve("aliases.cdb")));
        assertEquals(List.of("ann"), texts(AliasIndex.open(tmp.resolve("aliases.cdb")).lookup("root")));
        try (var ds = Files.list(tmp)) {
            assertEquals(List.of("aliases", "aliases.cdb"), ds.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aFailedWriteLeavesTheOldIndex() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("users"));
        Path src = tmp.resolve("aliases");
        Files.writeString(src, "root: ann\n");
        AliasIndex.compile(src, dir.resolve("aliases.cdb"));
        Files.writeString(src, "root: bob\n");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(dir), "root ignores the directory's mode");
            assertThrows(java.io.IOException.class, () -> AliasIndex.compile(src, dir.resolve("aliases.cdb")));
            assertEquals(List.of("ann"), texts(AliasIndex.open(dir.resolve("aliases.cdb")).lookup("root")));
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void anEditedSourceMakesTheIndexStale() throws Exception {
        Path src = tmp.resolve("aliases");
        Path index = tmp.resolve("aliases.cdb");
        assertFalse(Files.exists(index));
        Files.writeString(src, "root: ann\n");
        assertTrue(AliasIndex.stale(index, src));
        AliasIndex.compile(src, index);
        assertFalse(AliasIndex.stale(index, src));
        Files.writeString(src, "root: bob\n");
        Files.setLastModifiedTime(src, FileTime.fromMillis(1_000_000L));   // even an older time is a change
        assertTrue(AliasIndex.stale(index, src));
    }

    @Test
    void expansionFollowsLocalNamesTransitively() throws Exception {
        AliasIndex i = compiled("postmaster: root\nroot: admins, |/usr/bin/log\n"
            + "admins: Ann, bob@example.org, \\carol, ann\n");
        AliasIndex.Expansion e = i.expand("PostMaster");
        assertEquals(List.of(), e.loop());
        // local names fold to lower case and count once
        assertEquals(List.of("ann", "bob@example.org", "\\carol", "|/usr/bin/log"), texts(e.targets()));
        assertEquals(List.of("nobody"), texts(i.expand("nobody").targets()));
    }

    @Test
    void aNameListingItselfMeansItsOwnMailbox() throws Exception {
        AliasIndex.Expansion e = compiled("bob: bob, /var/log/bob\n").expand("bob");
        assertEquals(List.of(), e.loop());
        assertEquals(List.of("\\bob", "/var/log/bob"), texts(e.targets()));
    }

    @Test
    void aDiamondIsNotALoop() throws Exception {
        AliasIndex.Expansion e = compiled("a: b, c\nb: d\nc: d\nd: ann\n").expand("a");
        assertEquals(List.of(), e.loop());
        assertEquals(List.of("ann"), texts(e.targets()));
    }

    @Test
    void aNameReachedAgainIsALoop() throws Exception {
        AliasIndex i = compiled("a: ann, b\nb: c\nc: A\n");
        assertEquals(List.of("a", "b", "c", "a"), i.expand("a").loop());
        assertEquals(List.of("b", "c", "a", "b"), i.expand("b").loop());
    }

    @Test
    void aChainDeeperThanTheBoundIsALoop() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int n = 0; n < AliasIndex.MAX_DEPTH + 5; n++) {
            text.append("n").append(n).append(": n").append(n + 1).append('\n');
        }
        assertEquals(AliasIndex.MAX_DEPTH + 1, compiled(text.toString()).expand("n0").loop().size());
    }

    @Test
    void theIndexRemembersItsSource() throws Exception {
        AliasIndex i = compiled("a: b\n");
        assertEquals(tmp.resolve("aliases").toAbsolutePath(), i.source());
        assertFalse(i.staleAgainst(i.source()));
        Files.delete(tmp.resolve("aliases"));
        assertTrue(i.staleAgainst(i.source()), "a source that went away is a change too");
    }

    @Test
    void includeFilesAreReadAtExpansionAndTheirNamesFollowed() throws Exception {
        Path list = tmp.resolve("list");
        Files.writeString(list, "# members\nann, staff\n|/usr/bin/archive\n");
        AliasIndex i = compiled("team: :include:" + list + ", bob@example.org\nstaff: carol, dave\n");
        assertEquals(List.of(":include:" + list, "bob@example.org"), texts(i.expand("team").targets()),
            "without a reader the include is left to the caller");
        AliasIndex.Expansion e = i.expand("team", AliasFileTest::readList);
        assertEquals(List.of(), e.loop());
        assertEquals(List.of("ann", "carol", "dave", "|/usr/bin/archive", "bob@example.org"), texts(e.targets()));
    }

    @Test
    void anIncludeReachingItselfIsALoop() throws Exception {
        Path list = tmp.resolve("list");
        AliasIndex i = compiled("team: :include:" + list + "\nback: team\n");
        Files.writeString(list, "ann\nback\n");
        assertEquals(List.of("team", ":include:" + list, "back", "team"),
            i.expand("team", AliasFileTest::readList).loop());
    }
}
