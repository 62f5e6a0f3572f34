package jqmail.queue.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import jqmail.common.InjectWire;

/**
 * Reads {@link InjectWire} frames from an untrusted client. A frame header
 * with an unknown kind or a length over the limit is a protocol error; the
 * payload is handed out in pieces as it arrives, so memory stays at one
 * buffer whatever the message size.
 */
final class FrameReader {
    /** The client broke the framing. */
    static final class ProtocolException extends IOException {
        ProtocolException(String message) {
            super(message);
        }
    }

    /** The client went away mid-frame or its connection failed: nobody to reply to. */
    static final class ClientGoneException extends IOException {
        ClientGoneException(String message) {
            super(message);
        }
    }

    /** Returned by {@link #next()} when the client closed between frames. */
    static final int EOF = -1;

    private final ReadableByteChannel channel;
    /** Frames are read in pieces; 32 KiB keeps a session small and a 4 KiB message to one read. */
    private final ByteBuffer buf = ByteBuffer.allocate(32 * 1024);
    private final long deadline;
    private int kind = EOF;
    private int left;

    /** @param lifetimeNanos how long the whole injection may take (qmail-queue's 24 hours) */
    FrameReader(ReadableByteChannel channel, long lifetimeNanos) {
        this.channel = channel;
        this.deadline = System.nanoTime() + lifetimeNanos;
        buf.flip();
    }

    /**
     * Skips what is left of the current frame and reads the next header.
     *
     * @return the frame's kind, or {@link #EOF} if the client closed cleanly
     */
    int next() throws IOException {
        while (left > 0) {
            ByteBuffer p = payload();
            p.position(p.limit());
        }
        if (!fill(InjectWire.HEADER)) {
            if (buf.hasRemaining()) {
                throw new ClientGoneException("connection closed inside a frame header");
            }
            kind = EOF;
            return EOF;
        }
        kind = buf.get() & 0xff;
        int length = buf.getInt();
        boolean known = kind == InjectWire.VERSION || kind == InjectWire.MESSAGE
            || kind == InjectWire.ENVELOPE || kind == InjectWire.END || kind == InjectWire.PROBE;
        if (!known) {
            throw new ProtocolException("unknown frame kind " + kind);
        }
        if (length < 0 || length > InjectWire.MAX_PAYLOAD) {
            throw new ProtocolException("frame length " + length + " out of range");
        }
        if ((kind == InjectWire.END || kind == InjectWire.PROBE) && length != 0) {
            throw new ProtocolException("end or probe frame with a payload");
        }
        left = length;
        return kind;
    }

    int kind() {
        return kind;
    }

    int left() {
        return left;
    }

    /**
     * Some of the current frame's payload, at least one byte while any is
     * left. The returned buffer is a view into this reader's buffer: the
     * caller consumes it (advances its position) before the next call.
     */
    ByteBuffer payload() throws IOException {
        if (left == 0) {
            return ByteBuffer.allocate(0);
        }
        if (!buf.hasRemaining() && !fill(1)) {
            throw new ClientGoneException("connection closed inside a frame");
        }
        int n = Math.min(left, buf.remaining());
        ByteBuffer view = buf.slice();
        view.limit(n);
        buf.position(buf.position() + n);
        left -= n;
        return view;
    }

    /** The whole payload of a small frame (the version frame). */
    byte[] smallPayload(int max) throws IOException {
        if (left > max) {
            throw new ProtocolException("frame too long");
        }
        byte[] out = new byte[left];
        int off = 0;
        while (left > 0) {
            ByteBuffer p = payload();
            int n = p.remaining();
            p.get(out, off, n);
            off += n;
        }
        return out;
    }

    /**
     * The payloads of consecutive envelope frames as one stream. It ends at
     * the first frame of another kind, which {@link #kind()} then holds.
     */
    InputStream envelopeStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                while (left == 0) {
                    if (kind != InjectWire.ENVELOPE || next() != InjectWire.ENVELOPE) {
                        return -1;
                    }
                }
                ByteBuffer p = payload();
                int n = Math.min(len, p.remaining());
                p.get(b, off, n);
                // Give back what the caller did not take.
                int unread = p.remaining();
                buf.position(buf.position() - unread);
                left += unread;
                return n;
            }
        };
    }

    /** Makes at least {@code need} bytes available; false at end of stream. */
    private boolean fill(int need) throws IOException {
        while (buf.remaining() < need) {
            if (System.nanoTime() - deadline > 0) {
                throw new SocketTimeoutException("injection took longer than its lifetime");
            }
            buf.compact();
            int n;
            try {
                n = channel.read(buf);
            } catch (IOException e) {
                throw new ClientGoneException(e.getMessage());
            } finally {
                buf.flip();
            }
            if (n < 0) {
                return false;
            }
            if (n == 0) {
                // jnr's blocking read returns 0 when SO_RCVTIMEO expires.
                throw new SocketTimeoutException("client idle too long");
            }
        }
        return true;
    }
}
