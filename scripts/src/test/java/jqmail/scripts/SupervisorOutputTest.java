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
        InputStream in = new ByteArrayInputStream(("first\n" + huge + "\nafter\nno newline at the end")
            .getBytes(StandardCharsets.UTF_8));
        assertEquals("first", Supervisor.boundedLine(in));
        assertEquals("x".repeat(LoggerCommand.MAX_LINE), Supervisor.boundedLine(in));
        assertEquals("after", Supervisor.boundedLine(in), "the line after a long one is whole");
        assertEquals("no newline at the end", Supervisor.boundedLine(in));
        assertNull(Supervisor.boundedLine(in));
    }

    @Test
    void anEmptyLineIsALine() throws Exception {
        InputStream in = new ByteArrayInputStream("\n\nz\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("", Supervisor.boundedLine(in));
        assertEquals("", Supervisor.boundedLine(in));
        assertEquals("z", Supervisor.boundedLine(in));
        assertNull(Supervisor.boundedLine(in));
    }
}
