package jqmail.local.deliver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which .qmail file governs an address: qmail-local's cascade, and what counts as a file. */
class DotQmailTest {
    @TempDir
    Path home;

    @Test
    void theCascadeGoesFromTheExactNameToEverShorterDefaults() throws Exception {
        Files.writeString(home.resolve(".qmail-list-default"), "./Maildir/\n");
        Files.writeString(home.resolve(".qmail-default"), "./Maildir/\n");
        assertEquals(new DotQmail.Found(home.resolve(".qmail-list-default"), "a-b"),
            DotQmail.find(home, "-", "list-a-b"));
        assertEquals(new DotQmail.Found(home.resolve(".qmail-default"), "other"), DotQmail.find(home, "-", "other"));
        Files.writeString(home.resolve(".qmail-list-a-b"), "./Maildir/\n");
        assertEquals(new DotQmail.Found(home.resolve(".qmail-list-a-b"), null), DotQmail.find(home, "-", "List-A-B"));
    }

    @Test
    void aDanglingLinkIsNoFileAsForQmailLocal() throws Exception {
        Files.createSymbolicLink(home.resolve(".qmail-x"), home.resolve("gone"));
        assertThrows(DotQmail.NoMailbox.class, () -> DotQmail.find(home, "-", "x"));
        Files.writeString(home.resolve(".qmail-default"), "./Maildir/\n");
        assertEquals(new DotQmail.Found(home.resolve(".qmail-default"), "x"), DotQmail.find(home, "-", "x"));
    }

    @Test
    void anEmptyOrMissingDotQmailMeansTheDefaultDelivery() throws Exception {
        assertEquals(new DotQmail.Found(null, null), DotQmail.find(home, "", ""));
        Files.writeString(home.resolve(".qmail"), "");
        assertEquals(new DotQmail.Found(null, null), DotQmail.find(home, "", ""));
    }
}
