package jqmail.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlTest {
    @TempDir
    Path dir;

    @Test
    void missingFilesGiveDefaults() throws IOException {
        Control c = new Control(dir);
        assertEquals("fallback", c.line("me", "fallback"));
        assertEquals(10, c.number("concurrencylocal", 10));
        assertEquals(List.of(), c.list("rcpthosts"));
    }

    @Test
    void firstLineWithTrailingBlanksStripped() throws IOException {
        Files.writeString(dir.resolve("me"), "mail.example.com \t\nsecond\n");
        assertEquals("mail.example.com", new Control(dir).line("me", null));
    }

    @Test
    void listsSkipCommentsAndBlankLines() throws IOException {
        Files.writeString(dir.resolve("locals"), "# comment\nexample.com\n\n  \nother.org\t\n");
        assertEquals(List.of("example.com", "other.org"), new Control(dir).list("locals"));
    }

    @Test
    void badNumbersAreErrorsNotDefaults() throws IOException {
        Files.writeString(dir.resolve("databytes"), "lots\n");
        assertThrows(IOException.class, () -> new Control(dir).number("databytes", 5));
        Files.writeString(dir.resolve("databytes"), "-1\n");
        assertThrows(IOException.class, () -> new Control(dir).number("databytes", 5));
    }

    @Test
    void refusesPathsOutsideControl() {
        assertThrows(IllegalArgumentException.class, () -> new Control(dir).line("../etc/passwd", null));
    }
}
