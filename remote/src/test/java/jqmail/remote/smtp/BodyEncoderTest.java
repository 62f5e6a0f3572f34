package jqmail.remote.smtp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BodyEncoderTest {
    private static String encode(String stored) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = BodyEncoder.encode(new ByteArrayInputStream(stored.getBytes(StandardCharsets.ISO_8859_1)), out);
        assertEquals(out.size(), n, "returned count");
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void lineEndsBecomeCrlf() throws IOException {
        assertEquals("a\r\nb\r\n.\r\n", encode("a\nb\n"));
    }

    @Test
    void loneCrIsALineEnd() throws IOException {
        assertEquals("a\r\nb\r\n.\r\n", encode("a\rb\n"));
        assertEquals("a\r\n\r\n.\r\n", encode("a\r\r\n"));
    }

    @Test
    void crLfIsOneLineEndNotTwo() throws IOException {
        // A CRLF in the store must not invent an empty line: that would end the header early.
        assertEquals("Subject: x\r\nTo: y\r\n\r\nbody\r\n.\r\n", encode("Subject: x\r\nTo: y\n\nbody\n"));
    }

    @Test
    void leadingDotsAreDoubled() throws IOException {
        assertEquals("..\r\n...\r\n..x\r\nx.\r\n.\r\n", encode(".\n..\n.x\nx.\n"));
        assertEquals("..a\r\n.\r\n", encode(".a"));
    }

    @Test
    void dotAfterLoneCrIsDoubled() throws IOException {
        // notqmail's qmail-remote sends X CR LF . CR LF here: the end of the data, then commands (§8.6).
        assertEquals("X\r\n..\r\nRSET\r\n.\r\n", encode("X\r.\nRSET\n"));
        assertEquals("X\r\n..\r\n.\r\n", encode("X\r.\r"));
    }

    @Test
    void lastLineWithoutNewlineIsEnded() throws IOException {
        assertEquals("a\r\nlast\r\n.\r\n", encode("a\nlast"));
        assertEquals("a\r\n.\r\n", encode("a\r"));
    }

    @Test
    void emptyMessageIsJustTheDot() throws IOException {
        assertEquals(".\r\n", encode(""));
    }

    @Test
    void nulAndEightBitGoThrough() throws IOException {
        assertEquals("\u0000\u00ff\u0080\r\n.\r\n", encode("\u0000\u00ff\u0080\n"));
    }

    @Test
    void chunkBoundariesChangeNothing() throws IOException {
        // A CR at the end of one read and the LF or dot at the start of the next.
        String stored = "a\r\nb\r.c\n.d\r";
        for (int split = 0; split <= stored.length(); split++) {
            String head = stored.substring(0, split);
            String tail = stored.substring(split);
            InputStream twoReads = new java.io.SequenceInputStream(
                new ByteArrayInputStream(head.getBytes(StandardCharsets.ISO_8859_1)),
                new ByteArrayInputStream(tail.getBytes(StandardCharsets.ISO_8859_1)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BodyEncoder.encode(twoReads, out);
            assertEquals("a\r\nb\r\n..c\r\n..d\r\n.\r\n", out.toString(StandardCharsets.ISO_8859_1), "split " + split);
        }
    }

    @Test
    void nothingEndsTheDataEarly() throws IOException {
        // Random bodies over the bytes that matter; the peer's view (RFC 5321 §4.5.2) must give back the
        // normalized body, with CRLF.CRLF only at the very end.
        byte[] alphabet = {'\r', '\n', '.', 'a', 0, (byte) 0xff};
        Random random = new Random(5321);
        for (int round = 0; round < 20_000; round++) {
            byte[] stored = new byte[random.nextInt(40)];
            for (int i = 0; i < stored.length; i++) {
                stored[i] = alphabet[random.nextInt(alphabet.length)];
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BodyEncoder.encode(new ByteArrayInputStream(stored), out);
            byte[] wire = out.toByteArray();
            int end = firstEnd(wire);
            assertEquals(wire.length, end, () -> "early end in " + printable(stored));
            assertArrayEquals(normalized(stored), unstuff(wire), () -> "content changed: " + printable(stored));
        }
    }

    @Test
    void readFailureIsTheSourcesFault() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk");
            }
        };
        assertThrows(BodyEncoder.SourceException.class, () -> BodyEncoder.encode(broken, new ByteArrayOutputStream()));
    }

    /** The offset just past the first CRLF.CRLF, counting the start as after a CRLF. */
    private static int firstEnd(byte[] w) {
        for (int i = 0; i + 2 < w.length; i++) {
            boolean afterCrlf = i == 0 || i >= 2 && w[i - 2] == '\r' && w[i - 1] == '\n';
            if (afterCrlf && w[i] == '.' && w[i + 1] == '\r' && w[i + 2] == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    /** What the peer stores: lines split at CRLF, one leading dot removed, the last line (the dot) dropped. */
    private static byte[] unstuff(byte[] w) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int start = 0;
        for (int i = 0; i + 1 < w.length; i++) {
            if (w[i] == '\r' && w[i + 1] == '\n') {
                int from = w[start] == '.' ? start + 1 : start;
                if (!(from == start + 1 && i == start + 1 && i + 2 == w.length)) {
                    b.write(w, from, i - from);
                    b.write('\n');
                }
                start = i + 2;
                i++;
            }
        }
        return b.toByteArray();
    }

    /** The stored body with each CRLF, lone CR and LF as LF, and a final LF added when missing. */
    private static byte[] normalized(byte[] s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < s.length; i++) {
            if (s[i] == '\r') {
                b.write('\n');
                if (i + 1 < s.length && s[i + 1] == '\n') {
                    i++;
                }
            } else {
                b.write(s[i]);
            }
        }
        byte[] r = b.toByteArray();
        if (r.length > 0 && r[r.length - 1] != '\n') {
            b.write('\n');
            r = b.toByteArray();
        }
        return r;
    }

    private static String printable(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(x == '\r' ? "\\r" : x == '\n' ? "\\n" : x == 0 ? "\\0" : x == (byte) 0xff ? "\\xff" : String.valueOf((char) x));
        }
        return s.toString();
    }
}
