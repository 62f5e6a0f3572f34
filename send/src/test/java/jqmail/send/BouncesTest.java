package jqmail.send;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bounce/ID records: every failure written is read back, whatever its text. */
class BouncesTest {
    @TempDir
    Path dir;

    @Test
    void failuresWithEmptyOrParagraphedTextsAllComeBack() throws Exception {
        List<Bounces.Failure> written = List.of(Bounces.Failure.of("a@x.example", ""),
            Bounces.Failure.of("b@x.example", "first paragraph.\n\nsecond one. (#5.1.1)"),
            Bounces.Failure.of("c@x.example", "Sorry. (#5.0.0)"));
        StringBuilder file = new StringBuilder();
        for (Bounces.Failure f : written) {
            file.append(f.record());
        }
        Path p = Files.writeString(dir.resolve("bounce"), file, StandardCharsets.ISO_8859_1);
        assertEquals(written, Bounces.read(p));
    }
}
