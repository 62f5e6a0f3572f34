package jqmail.remote.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The stored message to the text after DATA (RFC 5321 §4.5.2), streamed a
 * chunk at a time. Every line end goes out as CRLF: an LF, a lone CR, and a
 * CR LF pair (one line end, so no empty line is ever invented between
 * header fields). Every line that starts with '.' gets another '.', and
 * that includes a line that starts after a lone CR: notqmail's qmail-remote
 * turns {@code X<CR>.<LF>} into {@code X<CR><LF>.<CR><LF>} without the
 * second dot and so ends the peer's data early (qmail-digest §8.6; SMTP
 * smuggling). A last line without its line end gets CRLF, and
 * {@code .<CRLF>} ends the data. So the output holds {@code <CRLF>.<CRLF>}
 * exactly once, at its end, whatever the input.
 */
final class BodyEncoder {
    private static final int CHUNK = 64 * 1024;

    /** Reading the message failed: trouble on our side, not the peer's. */
    static final class SourceException extends IOException {
        private static final long serialVersionUID = 1L;

        SourceException(IOException cause) {
            super("unable to read the message: " + cause.getMessage(), cause);
        }
    }

    private BodyEncoder() {
    }

    /** Writes the encoded message and its terminating dot line; returns the bytes written. */
    static long encode(InputStream in, OutputStream out) throws IOException {
        byte[] src = new byte[CHUNK];
        // Each input byte gives at most two output bytes, and a CR left from the previous chunk two more.
        byte[] dst = new byte[2 * CHUNK + 2];
        boolean lineStart = true;
        boolean cr = false;
        long written = 0;
        for (;;) {
            int n;
            try {
                n = in.read(src, 0, CHUNK);
            } catch (IOException e) {
                throw new SourceException(e);
            }
            if (n < 0) {
                break;
            }
            int o = 0;
            for (int i = 0; i < n; i++) {
                byte b = src[i];
                if (cr) {
                    cr = false;
                    dst[o++] = '\r';
                    dst[o++] = '\n';
                    lineStart = true;
                    if (b == '\n') {
                        continue;
                    }
                }
                if (b == '\r') {
                    cr = true;
                } else if (b == '\n') {
                    dst[o++] = '\r';
                    dst[o++] = '\n';
                    lineStart = true;
                } else {
                    if (lineStart && b == '.') {
                        dst[o++] = '.';
                    }
                    dst[o++] = b;
                    lineStart = false;
                }
            }
            out.write(dst, 0, o);
            written += o;
        }
        int o = 0;
        if (cr || !lineStart) {
            dst[o++] = '\r';
            dst[o++] = '\n';
        }
        dst[o++] = '.';
        dst[o++] = '\r';
        dst[o++] = '\n';
        out.write(dst, 0, o);
        return written + o;
    }
}
