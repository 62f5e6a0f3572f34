package jqmail.common.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DataReaderTest {
    static final Watchdogs WATCHDOGS = new Watchdogs();

    /** What DataReader stores for {@code input}, and what is left for the command reader. */
    record Run(String stored, String rest, DataReader.Result result) {
    }

    static Run run(String input, long limit) throws IOException {
        SmtpIo io = new SmtpIo(new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1)),
            new ByteArrayOutputStream(), WATCHDOGS.watchdog(() -> { }), 10_000, Long.MAX_VALUE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataReader.Result r = new DataReader(io, out, limit, new byte[0]).read();
        StringBuilder rest = new StringBuilder();
        for (int c; (c = io.read()) >= 0; ) {
            rest.append((char) c);
        }
        return new Run(out.toString(StandardCharsets.ISO_8859_1), rest.toString(), r);
    }

    @Test
    void crlfBecomesLfAndDotsAreUnstuffed() throws IOException {
        Run r = run("Subject: x\r\n\r\nline\r\n..dot\r\n.\r\nQUIT\r\n", 0);
        assertEquals("Subject: x\n\nline\n.dot\n", r.stored());
        assertEquals("QUIT\r\n", r.rest());
    }

    @Test
    void anEmptyMessageEndsAtOnce() throws IOException {
        assertEquals("", run(".\r\n", 0).stored());
    }

    /** Every smuggling sequence of the issue: the dot line is content and the next MAIL is never a command. */
    @Test
    void bareCrAndBareLfNeverEndTheData() throws IOException {
        String smuggled = "MAIL FROM:<evil@x>\r\nRCPT TO:<victim@y>\r\nDATA\r\nforged\r\n";
        String[] seams = {"\n.\n", "\r.\n", "\n.\r\n", "\r\n.\r", "\r.\r\n"};
        for (String seam : seams) {
            Run r = run("Subject: s\r\n\r\nbody" + seam + smuggled + ".\r\nQUIT\r\n", 0);
            assertEquals("QUIT\r\n", r.rest(), "only the real end ends the data, seam " + escape(seam));
            assertTrue(r.stored().contains("MAIL FROM:<evil@x>"), "the smuggled command is content: " + escape(seam));
            assertTrue(!r.stored().contains("\r\n"), "no CRLF is stored");
        }
    }

    @Test
    void bareLfIsALineEndAndBareCrIsContent() throws IOException {
        Run r = run("a\nb\rc\r\n.\r\n", 0);
        assertEquals("a\nb\rc\n", r.stored());
    }

    @Test
    void countsHopsInTheHeaderOnly() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            b.append("Received: from x\r\n");
        }
        b.append("DELIVERED-TO: y\r\nSubject: z\r\n\r\nReceived: in the body\r\n.\r\n");
        assertEquals(6, run(b.toString(), 0).result().hops());
    }

    @Test
    void pastTheLimitStoresNothingMoreButReadsToTheEnd() throws IOException {
        Run r = run("x".repeat(100) + "\r\n.\r\nNOOP\r\n", 50);
        assertTrue(r.result().overLimit());
        assertEquals(50, r.stored().length());
        assertEquals("NOOP\r\n", r.rest());
    }

    @Test
    void aClientThatLeavesMidDataIsAnError() {
        assertThrows(EOFException.class, () -> run("half a message\r\n", 0));
    }

    static String escape(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }
}
