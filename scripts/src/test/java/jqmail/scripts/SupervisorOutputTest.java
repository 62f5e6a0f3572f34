package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How the root supervisor reads a daemon's output: line by line, never more than a line's cap at once. */
class SupervisorOutputTest {
    @Test
    void linesAreCutAtTheCapAndTheRestOfALongLineIsDropped() throws Exception {
        String huge = "x".repeat(100_000);
        BoundedLines in = lines(("first\n" + huge + "\nafter\nno newline at the end")
            .getBytes(StandardCharsets.UTF_8));
        assertEquals("first", in.next());
        assertEquals("x".repeat(LoggerCommand.MAX_LINE), in.next());
        assertEquals("after", in.next(), "the line after a long one is whole");
        assertEquals("no newline at the end", in.next());
        assertNull(in.next());
    }

    @Test
    void aLineSplitAcrossReadsIsWhole() throws Exception {
        InputStream trickle = new ByteArrayInputStream("ab\ncd".getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));   // a pipe may give one byte at a time
            }
        };
        BoundedLines in = new BoundedLines(trickle, LoggerCommand.MAX_LINE);
        assertEquals("ab", in.next());
        assertEquals("cd", in.next());
        assertNull(in.next());
    }

    @Test
    void anEmptyLineIsALine() throws Exception {
        BoundedLines in = lines("\n\nz\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("", in.next());
        assertEquals("", in.next());
        assertEquals("z", in.next());
        assertNull(in.next());
    }

    private static BoundedLines lines(byte[] bytes) {
        return new BoundedLines(new ByteArrayInputStream(bytes), LoggerCommand.MAX_LINE);
    }
}
