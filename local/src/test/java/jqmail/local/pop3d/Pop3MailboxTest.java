package jqmail.local.pop3d;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mailbox: the listing at login, unique-ids, and qmail's tidying of tmp/. */
class Pop3MailboxTest {
    @TempDir
    Path tmp;

    @Test
    void aUniqueIdIsTheNameBeforeTheColonWhenRfc1939AllowsIt() {
        assertEquals("1700000000.M1P2Q3.host", Mailbox.uid("1700000000.M1P2Q3.host"));
        assertEquals("x".repeat(70), Mailbox.uid("x".repeat(70)));
    }

    @Test
    void anyOtherNameGetsAStableHashThatNoFileNameCanEqual() {
        for (String odd : new String[] {"has space", "caf\u00e9", "x".repeat(71), "tab\there", ""}) {
            String uid = Mailbox.uid(odd);
            assertEquals(uid, Mailbox.uid(odd), "stable");
            assertTrue(uid.startsWith("/") && uid.length() == 44, uid);
            assertTrue(uid.chars().allMatch(c -> c >= 0x21 && c <= 0x7e), uid);
        }
        assertNotEquals(Mailbox.uid("a b"), Mailbox.uid("a  b"));
    }

    @Test
    void aMaildirWithoutNewOrCurCannotBeOpened() throws IOException {
        Files.createDirectories(tmp.resolve("md/new"));
        assertThrows(NoSuchFileException.class, () -> Mailbox.open(tmp.resolve("md")));
        assertThrows(NoSuchFileException.class, () -> Mailbox.open(tmp.resolve("absent")));
    }

    @Test
    void openingRemovesOnlyTmpFilesOlderThan36Hours() throws IOException {
        TestMaildir m = new TestMaildir(tmp.resolve("Maildir"));
        long now = System.currentTimeMillis();
        Path old = Files.writeString(m.dir.resolve("tmp/old"), "left by a dead delivery");
        Files.setLastModifiedTime(old, FileTime.fromMillis(now - Mailbox.TMP_MAX_AGE_MILLIS - 60_000));
        Path young = Files.writeString(m.dir.resolve("tmp/young"), "being delivered");
        Files.setLastModifiedTime(young, FileTime.fromMillis(now - Mailbox.TMP_MAX_AGE_MILLIS + 60_000));
        Mailbox.open(m.dir);
        assertTrue(Files.notExists(old));
        assertTrue(Files.exists(young));
    }

    @Test
    void aDirectoryInNewIsNotAMessage() throws IOException {
        TestMaildir m = new TestMaildir(tmp.resolve("Maildir"));
        Files.createDirectory(m.dir.resolve("new/sub"));
        m.deliver("1.a", "S: 1\n\n");
        assertEquals(1, Mailbox.open(m.dir).messages().size());
    }
}
