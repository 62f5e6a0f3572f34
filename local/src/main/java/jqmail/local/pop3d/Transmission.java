package jqmail.local.pop3d;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A Maildir message as POP3 carries it (RFC 1939 §3): every line ends in
 * CRLF (a file's LF or CRLF becomes CRLF, a last line without LF gets one)
 * and a line that starts with {@code .} gets another. A CR not followed by
 * LF is content and passes as it is. The size that STAT and LIST report is
 * what {@link #send} writes without the stuffing dots (and without the
 * ".CRLF" the session adds), so a client that counts what RETR gave it gets
 * the number LIST promised. qmail-pop3d reported the file's own size and
 * added a blank line to every message; both are left behind.
 *
 * <p>Streams in chunks: a 50 MB message never sits in memory.
 */
final class Transmission {
    /** {@link #send}'s body-line limit for the whole message (RETR). */
    static final long WHOLE = Long.MAX_VALUE;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final int CHUNK = 64 * 1024;

    private final OutputStream out;
    private final boolean stuff;
    private final long bodyLines;
    private boolean atLineStart = true;
    private boolean heldCr;
    private boolean inHeader = true;
    private boolean done;
    private long lineLength;
    private long bodyLinesSent;

    private Transmission(OutputStream out, boolean stuff, long bodyLines) {
        this.out = out;
        this.stuff = stuff;
        this.bodyLines = bodyLines;
    }

    /** The message's POP3 size: its bytes as sent, every line ending counted as CRLF, no stuffing. */
    static long size(InputStream message) throws IOException {
        Counter c = new Counter();
        new Transmission(c, false, WHOLE).copy(message);
        return c.count;
    }

    /**
     * Writes the header, the blank line after it, and at most
     * {@code bodyLines} lines of the body (TOP; {@link #WHOLE} for RETR),
     * CRLF and dot-stuffed; not the final ".CRLF".
     */
    static void send(InputStream message, OutputStream out, long bodyLines) throws IOException {
        new Transmission(out, true, bodyLines).copy(message);
    }

    private void copy(InputStream in) throws IOException {
        byte[] b = new byte[CHUNK];
        int n;
        while (!done && (n = in.read(b)) > 0) {
            chunk(b, n);
        }
        if (done) {
            return;
        }
        if (heldCr) {
            out.write('\r');
            lineLength++;
        }
        if (!atLineStart) {
            endLine();
        }
    }

    /** One chunk of the file; a CR at its end is held until the next byte says whether it ends a line. */
    private void chunk(byte[] b, int n) throws IOException {
        int i = 0;
        if (heldCr) {
            heldCr = false;
            if (b[0] != '\n') {
                out.write('\r');
                lineLength++;
            }
        }
        while (i < n && !done) {
            if (atLineStart) {
                if (stuff && b[i] == '.') {
                    out.write('.');
                }
                atLineStart = false;
            }
            int lf = indexOfLf(b, i, n);
            if (lf < 0) {
                int end = b[n - 1] == '\r' ? n - 1 : n;
                heldCr = end < n;
                content(b, i, end);
                return;
            }
            content(b, i, lf > i && b[lf - 1] == '\r' ? lf - 1 : lf);
            endLine();
            i = lf + 1;
        }
    }

    private void content(byte[] b, int from, int to) throws IOException {
        out.write(b, from, to - from);
        lineLength += to - from;
    }

    private void endLine() throws IOException {
        out.write(CRLF);
        boolean empty = lineLength == 0;
        lineLength = 0;
        atLineStart = true;
        if (inHeader) {
            if (empty) {
                inHeader = false;
                done = bodyLines == 0;
            }
        } else {
            done = ++bodyLinesSent >= bodyLines;
        }
    }

    private static int indexOfLf(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static final class Counter extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
