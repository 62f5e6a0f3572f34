package jqmail.local.aliases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jqmail.common.Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** aliases(5) as sendmail and Postfix read it: every form of target, the file's layout, and each error's line. */
class AliasFileTest {
    @TempDir
    Path tmp;

    private static List<Target> targets(String text, String name) throws Exception {
        return AliasFile.parse(text).aliases().stream().filter(a -> a.name().equals(name)).findFirst()
            .orElseThrow().targets();
    }

    @Test
    void everyKindOfTargetIsClassified() throws Exception {
        List<Target> t = targets("all: bob, Alice@Example.ORG, |/usr/bin/prog -x, /var/log/all.mbox,"
            + " :include:/etc/mail/staff, \\root\n", "all");
        assertEquals(List.of(
            new Target.Mail(new Address("bob"), false),
            new Target.Mail(new Address("Alice@Example.ORG"), false),
            new Target.Command("/usr/bin/prog -x"),
            new Target.File(Path.of("/var/log/all.mbox")),
            new Target.Include(Path.of("/etc/mail/staff")),
            new Target.Mail(new Address("root"), true)), t);
    }

    @Test
    void quotedCommandsKeepTheirCommasAndSpaces() throws Exception {
        assertEquals(List.of(new Target.Command("/usr/bin/foo arg, \"two\""),
                new Target.Mail(new Address("bob"), false)),
            targets("list: \"|/usr/bin/foo arg, \\\"two\\\"\", bob\n", "list"));
    }

    @Test
    void aQuotedNameMayHoldSpacesAndColons() throws Exception {
        assertEquals(List.of(new Target.Mail(new Address("bob"), false)),
            targets("\"odd name: x\": bob\n", "odd name: x"));
    }

    @Test
    void namesAreCaseInsensitive() throws Exception {
        AliasFile.Parsed p = AliasFile.parse("PostMaster: root\n");
        assertEquals("postmaster", p.aliases().get(0).name());
    }

    @Test
    void indentedLinesContinueTheEntryAboveAcrossCommentsAndBlankLines() throws Exception {
        String text = "# the staff\n"
            + "staff: ann,\n"
            + "\tbob,\n"
            + "   # carol left\n"
            + "\n"
            + "    dave\r\n"
            + "root: ann\n";
        AliasFile.Parsed p = AliasFile.parse(text);
        assertEquals(2, p.aliases().size());
        assertEquals(List.of("ann", "bob", "dave"),
            p.aliases().get(0).targets().stream().map(Target::text).toList());
        assertEquals(2, p.aliases().get(0).line());
        assertEquals(7, p.aliases().get(1).line());
    }

    @Test
    void aDuplicateNameKeepsTheFirstEntryWithAWarning() throws Exception {
        AliasFile.Parsed p = AliasFile.parse("root: ann\nRoot: bob\n");
        assertEquals(List.of("ann"), p.aliases().get(0).targets().stream().map(Target::text).toList());
        assertEquals(List.of("line 2: duplicate alias root: the one on line 1 is used"), p.warnings());
    }

    private static void malformed(String text, int line, String what) {
        AliasFile.Malformed e = assertThrows(AliasFile.Malformed.class, () -> AliasFile.parse(text));
        assertEquals(line, e.line, e.getMessage());
        assertTrue(e.what.contains(what), e.what);
    }

    @Test
    void eachMalformedLineIsNamedWithWhatIsWrong() {
        malformed("root: ann\nbob carol\n", 2, "no colon");
        malformed("root: ann\n\n: carol\n", 3, "empty alias name");
        malformed("# x\nroot:\n", 2, "no targets");
        malformed("root: , ,\n", 1, "no targets");
        malformed("a: b\nroot: \"|/bin/prog\n", 2, "unterminated quote");
        malformed("  ann\nroot: b\n", 1, "continuation line");
        malformed("root: :include:etc/staff\n", 1, "absolute path");
        malformed("root: |\n", 1, "no command");
        malformed("a: b\nthe boss: ann\n", 2, "space in the alias name");
        malformed("a: b\nc: d\ne: " + "x".repeat(AliasFile.MAX_LINE) + "\n", 3, "longer than");
    }

    @Test
    void anErrorInAContinuationNamesTheEntrysFirstLine() {
        malformed("a: b\nstaff: ann,\n  \"|/bin/x\n", 2, "unterminated quote");
    }

    @Test
    void aFileOverTheBoundIsRefusedWithoutReadingItAll() throws Exception {
        Path big = tmp.resolve("aliases");
        try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {'\n'}), AliasFile.MAX_FILE);   // sparse
        }
        AliasFile.Malformed e = assertThrows(AliasFile.Malformed.class, () -> AliasFile.read(big));
        assertEquals(0, e.line);
        Files.delete(big);
    }

    /** The reader deliveries give {@link AliasIndex#expand}: a list file of at most a megabyte. */
    static List<Target> readList(Path file) throws java.io.IOException {
        return AliasFile.targetList(file, 1 << 20);
    }

    @Test
    void aListFileTakesCommasAndNewlinesQuotesAndComments() throws Exception {
        Path f = tmp.resolve(".forward");
        Files.writeString(f, "# where my mail goes\n\\ann, bob@example.org\n\n\"|/usr/bin/procmail -a x, y\"\n/home/ann/keep\n");
        assertEquals(List.of("\\ann", "bob@example.org", "|/usr/bin/procmail -a x, y", "/home/ann/keep"),
            readList(f).stream().map(Target::text).toList());
    }

    @Test
    void aListFileErrorNamesItsLine() throws Exception {
        Path f = tmp.resolve("list");
        Files.writeString(f, "ann\n\"|/bin/x\n");
        AliasFile.Malformed e = assertThrows(AliasFile.Malformed.class, () -> readList(f));
        assertEquals(2, e.line);
        Files.writeString(f, "x".repeat(100));
        assertEquals(0, assertThrows(AliasFile.Malformed.class, () -> AliasFile.targetList(f, 99)).line);
    }
}
