package jqmail.scripts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A daemon's output as lines of at most {@code max} bytes; the rest of a
 * longer line is read and dropped, so a daemon that writes without end
 * cannot make the root supervisor hold it. Reads in blocks and looks for
 * the newline in the block: the supervisor copies every log line of every
 * daemon, seven per message, and reading byte by byte took more CPU than the
 * copying.
 */
final class BoundedLines {
    private final InputStream in;
    private final int max;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int end;
    private byte[] line = new byte[256];
    private int length;

    BoundedLines(InputStream in, int max) {
        this.in = in;
        this.max = max;
    }

    /** The next line, without its newline; null at the end of the output. */
    String next() throws IOException {
        length = 0;
        boolean any = false;
        for (;;) {
            if (pos == end) {
                int n = in.read(buf);
                if (n < 0) {
                    return any ? text() : null;
                }
                pos = 0;
                end = n;
            }
            any = true;
            int nl = pos;
            while (nl < end && buf[nl] != '\n') {
                nl++;
            }
            keep(pos, nl - pos);
            pos = nl == end ? end : nl + 1;
            if (nl < end) {
                return text();
            }
        }
    }

    private void keep(int from, int n) {
        int take = Math.min(n, max - length);
        if (take <= 0) {
            return;
        }
        if (length + take > line.length) {
            line = Arrays.copyOf(line, Math.min(max, Math.max(line.length * 2, length + take)));
        }
        System.arraycopy(buf, from, line, length, take);
        length += take;
    }

    private String text() {
        return new String(line, 0, length, StandardCharsets.UTF_8);
    }
}
