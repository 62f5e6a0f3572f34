package jqmail.queue.inject;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * CR LF becomes LF, as messages are stored (what Postfix's sendmail does by
 * default); a CR not followed by LF is kept. Streams, converting in the
 * caller's array; a CR at the end of one read waits to see the next byte.
 */
final class LineEnds extends FilterInputStream {
    /** A CR whose next byte is not known yet. */
    private boolean crPending;
    /** A byte read ahead after a lone CR (never a CR itself). */
    private int pushed = -1;

    LineEnds(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int c;
        if (crPending) {
            crPending = false;
            c = '\r';
        } else if (pushed >= 0) {
            c = pushed;
            pushed = -1;
            return c;
        } else {
            c = in.read();
        }
        if (c != '\r') {
            return c;
        }
        int d = in.read();
        if (d == '\n') {
            return '\n';
        }
        if (d == '\r') {
            crPending = true;
        } else if (d >= 0) {
            pushed = d;
        }
        return '\r';
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (crPending || pushed >= 0) {
            int c = read();
            b[off] = (byte) c;
            return 1;
        }
        int n = in.read(b, off, len);
        if (n < 0) {
            return -1;
        }
        int end = off + n;
        int w = off;
        for (int r = off; r < end; r++) {
            byte c = b[r];
            if (c == '\r') {
                if (r + 1 == end) {
                    crPending = true;
                    continue;
                }
                if (b[r + 1] == '\n') {
                    continue;
                }
            }
            b[w++] = c;
        }
        if (w == off) {
            int c = read();
            if (c < 0) {
                return -1;
            }
            b[off] = (byte) c;
            return 1;
        }
        return w - off;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        while (skipped < n && read() >= 0) {
            skipped++;
        }
        return skipped;
    }

    @Override
    public int available() {
        return 0;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
