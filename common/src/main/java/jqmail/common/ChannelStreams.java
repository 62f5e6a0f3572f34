package jqmail.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Streams over a socket channel that one thread reads while others write.
 * {@code java.nio.channels.Channels}' streams take the channel's blocking
 * lock for each call, so a read waiting for the peer would hold up every
 * write on the same channel; these take no lock (the caller serialises its
 * writes).
 */
public final class ChannelStreams {
    private ChannelStreams() {
    }

    public static InputStream in(ReadableByteChannel ch) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                int n;
                do {
                    n = ch.read(buf);
                } while (n == 0);
                return n;
            }
        };
    }

    public static OutputStream out(WritableByteChannel ch) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        };
    }

    /** Copies {@code in} to {@code out}, flushing as it goes, until either side ends (the caller closes both). */
    public static void pump(InputStream in, OutputStream out) {
        byte[] buf = new byte[16 * 1024];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // One side closed.
        }
    }
}
