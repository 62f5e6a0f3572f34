package jqmail.local.pop3d;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Transmission: a file's bytes as POP3 carries them, and the size it reports for them. */
class Pop3TransmissionTest {
    private static String sent(String file, long bodyLines) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Transmission.send(in(file), out, bodyLines);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static InputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void everyLineEndsInCrlfAndOnlyLeadingDotsAreDoubled() throws IOException {
        assertEquals("a\r\n\r\n..\r\n...x\r\nb.c\r\n", sent("a\n\n.\n..x\nb.c\n", Transmission.WHOLE));
        assertEquals("a\r\n\r\nb\r\n", sent("a\r\n\r\nb\r\n", Transmission.WHOLE));
        assertEquals("a\r\n\r\nend\r\n", sent("a\n\nend", Transmission.WHOLE));
        assertEquals("a\rb\r\n\r\n", sent("a\rb\n\n", Transmission.WHOLE), "a lone CR is content");
        assertEquals("x\r\r\n", sent("x\r", Transmission.WHOLE), "a CR at the very end is content too");
        assertEquals("", sent("", Transmission.WHOLE));
    }

    @Test
    void theSizeIsWhatIsSentWithoutTheStuffing() throws IOException {
        for (String file : new String[] {"a\n\n.\n..x\nb.c\n", "a\r\n\r\nb\r\n", "a\n\nend", "a\rb\n\n", "x\r", ""}) {
            String wire = sent(file, Transmission.WHOLE);
            long stuffing = wire.lines().filter(l -> l.startsWith(".")).count();
            assertEquals(wire.length() - stuffing, Transmission.size(in(file)), file);
        }
    }

    @Test
    void topStopsAfterKBodyLinesAndCountsTheHeaderApart() throws IOException {
        String m = "H: 1\nH: 2\n\nb1\n\nb3\n";
        assertEquals("H: 1\r\nH: 2\r\n\r\n", sent(m, 0));
        assertEquals("H: 1\r\nH: 2\r\n\r\nb1\r\n\r\n", sent(m, 2), "an empty body line is a line");
        assertEquals(sent(m, Transmission.WHOLE), sent(m, 3));
        assertEquals("H: 1\r\nH: 2\r\n", sent("H: 1\nH: 2", 0), "no body at all: the header is all there is");
    }

    /** A CRLF split over two reads, or a dot line at a read's start, comes out as if read at once. */
    @Test
    void readBoundariesChangeNothing() throws IOException {
        String file = "S: 1\r\n\r\n.a\r\nb\rc\r\n\r\n..\n\r\r\nend\r";
        String whole = sent(file, Transmission.WHOLE);
        for (int step = 1; step <= 5; step++) {
            int max = step;
            InputStream slow = new ByteArrayInputStream(file.getBytes(StandardCharsets.ISO_8859_1)) {
                @Override
                public synchronized int read(byte[] b, int off, int len) {
                    return super.read(b, off, Math.min(len, max));
                }
            };
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Transmission.send(slow, out, Transmission.WHOLE);
            assertEquals(whole, out.toString(StandardCharsets.ISO_8859_1), "reads of " + step + " bytes");
        }
        assertEquals("S: 1\r\n\r\n..a\r\nb\rc\r\n\r\n...\r\n\r\r\nend\r\r\n", whole);
    }
}
