package jqmail.local.pop3d;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The client's command lines, bounded: a line may have {@link #MAX_LINE}
 * bytes with its CRLF (RFC 2449's limit for a reply line, twice its limit for
 * a command, so that no real client meets it). A longer line is read to its
 * LF and dropped without being kept. A bare LF ends a line too.
 *
 * <p>Before each read that may block, {@code beforeBlocking} runs: the
 * session flushes its replies there, so that pipelined commands already
 * read are answered in one write (RFC 2449 PIPELINING) and nothing is left
 * unsent while the client waits.
 */
final class CommandReader {
    static final int MAX_LINE = 512;

    enum Kind { COMMAND, TOO_LONG, NOT_ASCII, END }

    /** One line: a command's text (printable ASCII, without CRLF), or why there is none. */
    record Line(Kind kind, String text) {
    }

    /** What runs around a read of the client: flush and arm the idle timer, then disarm it. */
    interface Blocking {
        void before() throws IOException;

        void after();
    }

    private final InputStream in;
    private final Blocking blocking;
    private final byte[] buf = new byte[4096];
    private final byte[] line = new byte[MAX_LINE - 1];
    private int pos;
    private int limit;

    CommandReader(InputStream in, Blocking blocking) {
        this.in = in;
        this.blocking = blocking;
    }

    /** The next line; END when the client is gone (a last line without LF is not a command). */
    Line next() {
        int len = 0;
        boolean tooLong = false;
        for (;;) {
            if (pos == limit && !fill()) {
                return new Line(Kind.END, null);
            }
            byte b = buf[pos++];
            if (b == '\n') {
                break;
            }
            if (len < line.length) {
                line[len++] = b;
            } else {
                tooLong = true;
            }
        }
        if (tooLong) {
            return new Line(Kind.TOO_LONG, null);
        }
        if (len > 0 && line[len - 1] == '\r') {
            len--;
        }
        for (int i = 0; i < len; i++) {
            if (line[i] < 0x20 || line[i] > 0x7e) {
                return new Line(Kind.NOT_ASCII, null);
            }
        }
        return new Line(Kind.COMMAND, new String(line, 0, len, StandardCharsets.US_ASCII));
    }

    /** More bytes from the client; false when it is gone (end of input, or a failed read or flush). */
    private boolean fill() {
        int n;
        try {
            blocking.before();
            n = in.read(buf);
        } catch (IOException e) {
            n = -1;
        } finally {
            blocking.after();
        }
        pos = 0;
        limit = Math.max(n, 0);
        return n > 0;
    }
}
