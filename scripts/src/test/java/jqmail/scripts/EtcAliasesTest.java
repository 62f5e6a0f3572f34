package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import jqmail.local.aliases.AliasFile;
import jqmail.local.aliases.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Root's entry of /etc/aliases rewritten, every other byte kept; and what --root-mail accepts. */
class EtcAliasesTest {
    @TempDir
    Path dir;

    /** What newaliases would make of root after the rewrite. */
    private static List<String> rootTargets(String text) throws Exception {
        for (AliasFile.Alias a : AliasFile.parse(text).aliases()) {
            if (a.name().equals("root")) {
                return a.targets().stream().map(Target::text).toList();
            }
        }
        return null;
    }

    @Test
    void debiansFileGetsRootAppended() throws Exception {
        String after = EtcAliases.withRoot(EtcAliases.DEBIAN_DEFAULT, "admin@example.com");
        assertEquals("# See man 5 aliases for format\npostmaster:    root\nroot: admin@example.com\n", after);
        assertEquals(List.of("admin@example.com"), rootTargets(after));
    }

    @Test
    void aFileWithoutAFinalNewlineGetsOneBeforeTheAppendedLine() {
        assertEquals("postmaster: root\nroot: ann\n", EtcAliases.withRoot("postmaster: root", "ann"));
        assertEquals("root: ann\n", EtcAliases.withRoot("", "ann"));
    }

    @Test
    void rootsEntryIsReplacedInPlaceWithItsContinuationLinesAndTheCommentsBetween() throws Exception {
        String before = "# head\n"
            + "mailer-daemon: postmaster\n"
            + "Root: ann,\n"
            + "# a comment inside root's entry\n"
            + "\n"
            + "\tbob,\n"
            + "   \"|/usr/bin/logger -t root\"\n"
            + "staff: ann,\n"
            + "  carol\n"
            + "# tail, no newline";
        String after = EtcAliases.withRoot(before, "admin");
        assertEquals("# head\n"
            + "mailer-daemon: postmaster\n"
            + "root: admin\n"
            + "# a comment inside root's entry\n"
            + "\n"
            + "staff: ann,\n"
            + "  carol\n"
            + "# tail, no newline", after);
        assertEquals(List.of("admin"), rootTargets(after));
        assertEquals(List.of("ann", "bob", "|/usr/bin/logger -t root"), rootTargets(before));
        assertEquals("ann, bob, \"|/usr/bin/logger -t root\"", EtcAliases.root(before));
    }

    @Test
    void quotedAndSpacedNamesAreRootToo() {
        assertEquals("root: x\nrooty: y\n", EtcAliases.withRoot("\"root\" : a\nrooty: y\n", "x"));
        assertEquals("a: b\n  root: c\nroot: x\n", EtcAliases.withRoot("a: b\n  root: c\n", "x"),
            "an indented root: is a continuation of a, not root's entry");
    }

    @Test
    void aSecondRootEntryWhichNewaliasesWouldIgnoreGoesToo() {
        assertEquals("root: x\nother: y\n", EtcAliases.withRoot("root: a\nother: y\nroot: b,\n c\n", "x"));
    }

    @Test
    void crlfLinesKeepTheirEndings() {
        assertEquals("a: b\r\nroot: x\r\nc: d\r\n", EtcAliases.withRoot("a: b\r\nroot: y\r\nc: d\r\n", "x"));
    }

    @Test
    void noTargetRemovesRootsEntry() {
        assertEquals("postmaster: root\n# kept\n", EtcAliases.withRoot("postmaster: root\nroot: ann,\n bob\n# kept\n",
            null));
        assertEquals(EtcAliases.DEBIAN_DEFAULT, EtcAliases.withRoot(EtcAliases.DEBIAN_DEFAULT, null));
        assertNull(EtcAliases.root(EtcAliases.DEBIAN_DEFAULT));
    }

    @Test
    void bytesOutsideAsciiAndMalformedLinesAreKept() {
        String latin1 = new String("# caf\u00e9 \u00ff\nno colon here\nroot: a\n".getBytes(StandardCharsets.ISO_8859_1),
            StandardCharsets.ISO_8859_1);
        assertEquals("# caf\u00e9 \u00ff\nno colon here\nroot: b\n", EtcAliases.withRoot(latin1, "b"));
    }

    @Test
    void writeReplacesTheFileKeepingItsModeAndLeavesNoTemporaryFile() throws Exception {
        Path f = dir.resolve("aliases");
        Files.writeString(f, "old\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        EtcAliases.write(f, "root: x\n");
        assertEquals("root: x\n", Files.readString(f));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        try (var s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList());
        }
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, f);
        EtcAliases.write(link, "root: y\n");
        assertEquals("root: y\n", Files.readString(f), "a link is followed to the file it names");
        assertEquals(true, Files.isSymbolicLink(link));
        Path fresh = dir.resolve("new");
        EtcAliases.write(fresh, EtcAliases.DEBIAN_DEFAULT);
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh,
            LinkOption.NOFOLLOW_LINKS)));
    }

    @Test
    void rootMailTakesAddressesLocalNamesAndTheAliasMaildir() throws Exception {
        assertEquals("&admin@example.com\n", RootMail.parse("admin@example.com", "me.example").dotQmail("me.example"));
        assertEquals("&ann@me.example\n", RootMail.parse("ann", "me.example").dotQmail("me.example"));
        assertEquals("&a.b+c@x-y.example\n", RootMail.parse("a.b+c@x-y.example", "m").dotQmail("m"));
        assertEquals("./Maildir/\n", RootMail.parse("./Maildir/", "m").dotQmail("m"));
        assertEquals(true, RootMail.parse("./Maildir/", "m").aliasMaildir());
        assertEquals("root@elsewhere.example", RootMail.parse("root@elsewhere.example", "m").address());
    }

    @Test
    void rootMailRefusesProgramsFilesListsAndLoops() {
        for (String bad : new String[] {"", "a b", "a\nb", "a\tb", "|/bin/cat", "/var/mail/x", "./Mailbox", ":include:/x",
            "a,b", "\"a\"@b", "a@", "@b", "a@b@c", "-a", "a@-b", "a@b..c", "root", "Postmaster", "mailer-daemon@m",
            "root@M", "\\root", "caf\u00e9"}) {
            assertThrows(RootMail.Invalid.class, () -> RootMail.parse(bad, "m"), bad);
        }
    }
}
