package jqmail.remote.smtp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Message bodies for tests: from a string, or generated on the fly without ever being held whole. */
public final class Messages {
    private Messages() {
    }

    public static MessageBody of(String stored) {
        byte[] b = stored.getBytes(StandardCharsets.ISO_8859_1);
        return new MessageBody() {
            @Override
            public long size() {
                return b.length;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(b);
            }
        };
    }

    /** {@code size} bytes of a repeated block of awkward lines (dots, lone CRs, CRLFs, NUL, 8-bit). */
    static MessageBody generated(long size) {
        return new MessageBody() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public InputStream open() {
                return new Generated(size);
            }
        };
    }

    private static final byte[] BLOCK = ("Subject: generated\n\n"
        + ".leading dot\n..two dots\n.\nplain line of text that is long enough to matter\n"
        + "lone\rcarriage return\rX\r.\r\nCRLF line\r\nNUL \u0000 and 8-bit \u00e9\u00ff\n")
        .getBytes(StandardCharsets.ISO_8859_1);

    private static final class Generated extends InputStream {
        private final long size;
        private long pos;

        Generated(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return pos < size ? BLOCK[(int) (pos++ % BLOCK.length)] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - pos);
            for (int i = 0; i < n; i++) {
                b[off + i] = BLOCK[(int) ((pos + i) % BLOCK.length)];
            }
            pos += n;
            return n;
        }
    }
}
