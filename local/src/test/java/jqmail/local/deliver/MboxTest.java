package jqmail.local.deliver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mboxrd quoting, streamed. */
class MboxTest {
    @TempDir
    Path dir;

    private String quoted(String in) throws Exception {
        Path f = dir.resolve("out");
        Files.deleteIfExists(f);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Mbox.copyQuoted(new ByteArrayInputStream(in.getBytes(StandardCharsets.ISO_8859_1)), ch);
        }
        return Files.readString(f, StandardCharsets.ISO_8859_1);
    }

    @Test
    void linesThatAreFromLinesGetOneMoreQuote() throws Exception {
        assertEquals(">From a\n>>From b\n>>>From c\n", quoted("From a\n>From b\n>>From c\n"));
    }

    @Test
    void everythingElsePassesUnchanged() throws Exception {
        String same = "From:x\nFrom\nFro\n>Fr>om \n>>\n>\nFFrom \n a From \n\n>From\n>From x";
        assertEquals(same.replace("\n>From x", "\n>>From x"), quoted(same), "only the last line is a From line");
        assertEquals("", quoted(""));
        assertEquals(">>>", quoted(">>>"));
        assertEquals("Fro", quoted("Fro"));
    }

    @Test
    void aHugeLineOfQuotesIsStreamedNotHeld() throws Exception {
        String quotes = ">".repeat(300_000);
        assertEquals(">" + quotes + "From x\n" + quotes + "y", quoted(quotes + "From x\n" + quotes + "y"));
    }
}
