package jqmail.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordFileTest {
    @TempDir
    Path dir;

    @Test
    void theRightPasswordMatchesAndNothingElseDoes() throws Exception {
        Path f = dir.resolve("passwd");
        Files.writeString(f, PasswordFile.line("carol", "s3cret ü") + "\n" + PasswordFile.line("dave", "other") + "\n");
        PasswordFile p = new PasswordFile(f);
        assertTrue(p.matches("carol", "s3cret ü"));
        assertFalse(p.matches("carol", "s3cret u"), "a near miss");
        assertFalse(p.matches("carol", "other"), "another user's password");
        assertFalse(p.matches("nobody", "s3cret ü"), "an unknown name");
        assertFalse(p.matches("carol", ""), "empty");
        assertFalse(Files.readString(f).contains("s3cret"), "never in clear text on disk");
    }

    @Test
    void aChangedFileIsReadAgainAndADamagedLineRefusesOnlyItsUser() throws Exception {
        Path f = dir.resolve("passwd");
        Files.writeString(f, PasswordFile.line("carol", "one") + "\n");
        PasswordFile p = new PasswordFile(f);
        assertTrue(p.matches("carol", "one"));
        Files.writeString(f, "dave:pbkdf2-sha256:x:y:z\nerin:md5:1:2:3\n" + PasswordFile.line("carol", "two") + "\n");
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().plusSeconds(5)));
        assertFalse(p.matches("carol", "one"), "the old password is gone");
        assertTrue(p.matches("carol", "two"));
        assertFalse(p.has("dave"));
        assertFalse(p.has("erin"));
        Files.delete(f);
        assertFalse(p.matches("carol", "two"), "no file, nobody");
    }
}
