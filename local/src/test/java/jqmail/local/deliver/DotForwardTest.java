package jqmail.local.deliver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ~/.forward turned into .qmail lines, as the account's worker follows them. */
class DotForwardTest {
    /** The account ann, reached as info@ (users/assign can give one account several names). */
    private static final java.util.Set<String> ANN = java.util.Set.of("ann", "info");

    @TempDir
    Path home;

    private int me() throws IOException {
        return (Integer) Files.getAttribute(home, "unix:uid");
    }

    private List<String> lines(String forward) throws IOException {
        Files.writeString(home.resolve(".forward"), forward);
        Files.setPosixFilePermissions(home.resolve(".forward"), PosixFilePermissions.fromString("rw-r--r--"));
        return DotForward.lines(home, me(), ANN, "example.org", "./Maildir/");
    }

    @Test
    void eachKindOfTargetBecomesItsLine() throws Exception {
        assertEquals(List.of("./Maildir/", "|/usr/bin/vacation ann", "&bob@example.net", "&carol@example.org",
            "&dave@example.org", "/home/ann/archive", "/home/ann/Maildir/"),
            lines("\\ann, \"|/usr/bin/vacation ann\"\nbob@example.net, carol\n\\dave\n/home/ann/archive\n"
                + "/home/ann/Maildir/\n\\INFO\n"));
    }

    @Test
    void theSameTargetTwiceIsDeliveredOnce() throws Exception {
        assertEquals(List.of("&bob@example.net"), lines("bob@example.net\nbob@example.net, bob@example.net\n"));
    }

    @Test
    void noFileOrAnEmptyOneMeansTheDefaultDelivery() throws Exception {
        assertNull(DotForward.lines(home, me(), ANN, "example.org", "./Maildir/"));
        assertNull(lines("# nothing yet\n\n"));
    }

    @Test
    void anIncludeAddsItsTargetsOnce() throws Exception {
        Path list = home.resolve("list");
        Files.writeString(list, "erin@example.net\n");
        assertEquals(List.of("&erin@example.net", "./Maildir/"), lines(":include:" + list + ", \\ann\n"));
        Files.writeString(list, "erin@example.net, :include:" + list + "\n");
        assertEquals(List.of("&erin@example.net"), lines(":include:" + list + ", :include:" + list + "\n"),
            "a file included again, even by itself, adds nothing more");
    }

    @Test
    void aFileOthersMayWriteOrOneWithAnErrorIsTemporaryTrouble() throws Exception {
        Files.writeString(home.resolve(".forward"), "bob@example.net\n");
        Files.setPosixFilePermissions(home.resolve(".forward"), PosixFilePermissions.fromString("rw-rw-r--"));
        IOException writable = assertThrows(IOException.class,
            () -> DotForward.lines(home, me(), ANN, "example.org", "./Maildir/"));
        assertTrue(writable.getMessage().contains("#4.7.0"), writable.getMessage());
        IOException bad = assertThrows(IOException.class, () -> lines("bob@example.net\n\"|/bin/unterminated\n"));
        assertTrue(bad.getMessage().contains("line 2") && bad.getMessage().contains("#4.2.1"), bad.getMessage());
    }

    @Test
    void aFileOfAnotherAccountIsTemporaryTrouble() throws Exception {
        Files.writeString(home.resolve(".forward"), "bob@example.net\n");
        Files.setPosixFilePermissions(home.resolve(".forward"), PosixFilePermissions.fromString("rw-r--r--"));
        int owner = me();
        if (owner == 0) {   // root's own file would be accepted: give it away
            owner = 4242;
            Files.setAttribute(home.resolve(".forward"), "unix:uid", owner);
        }
        int account = owner + 1;
        IOException e = assertThrows(IOException.class,
            () -> DotForward.lines(home, account, ANN, "example.org", "./Maildir/"));
        assertTrue(e.getMessage().contains("not to the account"), e.getMessage());
    }
}
