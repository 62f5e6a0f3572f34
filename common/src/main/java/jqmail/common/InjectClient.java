package jqmail.common;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Streams one message to the queue daemon over its injection socket
 * ({@link InjectWire}). Uses the JDK's own Unix-domain sockets, so a
 * per-message program that loads it pays no native-library start-up.
 *
 * <pre>
 * try (InjectClient c = InjectClient.connect(home.injectSocket())) {
 *     message.transferTo(c.message());
 *     c.envelope(envelopeBytes);
 *     InjectResult r = c.commit();
 * }
 * </pre>
 *
 * Frames are gathered in one buffer, so a small message costs one write
 * and one read. If the daemon refuses part-way, the next write throws an
 * {@link InjectException} carrying the daemon's reason.
 */
public final class InjectClient implements QueueSubmission {
    private final SocketChannel channel;
    private final ByteBuffer out = ByteBuffer.allocate(InjectWire.HEADER + InjectWire.MAX_PAYLOAD + 64);
    private byte openKind;
    private int openStart = -1;
    private boolean committed;

    private InjectClient(SocketChannel channel) {
        this.channel = channel;
        frame(InjectWire.VERSION, InjectWire.VERSION_1, 0, 1);
    }

    /** Connects; a missing socket or a refused connection is {@link QueueExit#DAEMON_UNREACHABLE}. */
    public static InjectClient connect(Path socket) throws InjectException {
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            return new InjectClient(ch);
        } catch (IOException | UnsupportedOperationException e) {
            closeQuietly(ch);
            throw new InjectException(QueueExit.DAEMON_UNREACHABLE,
                "queue daemon not reachable at " + socket + ": " + reason(e));
        }
    }

    /**
     * Asks the daemon, before any of the message is sent, whether it takes
     * mail now; throws with its reason if not. An SMTP server asks before its
     * 354, so a full disk is a 452 up front rather than a failure after the data.
     */
    public void probe() throws InjectException {
        frame(InjectWire.PROBE, new byte[0], 0, 0);
        InjectResult r;
        try {
            flush();
            r = readReply();
        } catch (InjectException e) {
            throw e;
        } catch (IOException e) {
            r = InjectResult.of(QueueExit.DAEMON_FAILED, "lost the queue daemon: " + e.getMessage());
        }
        if (!r.ok()) {
            throw new InjectException(r);
        }
    }

    /** The message body as a stream; everything written here is sent in 'M' frames. */
    @Override
    public OutputStream message() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                append(InjectWire.MESSAGE, b, off, len);
            }
        };
    }

    /** A piece of the envelope in qmail's format; call after the whole message. */
    public void envelope(byte[] b, int off, int len) throws IOException {
        append(InjectWire.ENVELOPE, b, off, len);
    }

    @Override
    public void envelope(byte[] b) throws IOException {
        envelope(b, 0, b.length);
    }

    /** Ends the message and waits for the daemon's verdict. */
    @Override
    public InjectResult commit() throws IOException {
        closeFrame();
        frame(InjectWire.END, new byte[0], 0, 0);
        flush();
        committed = true;
        return readReply();
    }

    private void append(byte kind, byte[] b, int off, int len) throws IOException {
        if (committed) {
            throw new IllegalStateException("message already committed");
        }
        while (len > 0) {
            if (openStart < 0 || openKind != kind) {
                closeFrame();
                if (out.remaining() < InjectWire.HEADER + 1) {
                    flush();
                }
                openKind = kind;
                openStart = out.position();
                out.put(kind).putInt(0);
            }
            int used = out.position() - openStart - InjectWire.HEADER;
            int n = Math.min(len, Math.min(out.remaining(), InjectWire.MAX_PAYLOAD - used));
            out.put(b, off, n);
            off += n;
            len -= n;
            if (out.remaining() == 0 || used + n == InjectWire.MAX_PAYLOAD) {
                flush();
            }
        }
    }

    private void frame(byte kind, byte[] b, int off, int len) {
        out.put(kind).putInt(len).put(b, off, len);
    }

    /** Writes the length into the open frame's header; an empty frame is dropped. */
    private void closeFrame() {
        if (openStart < 0) {
            return;
        }
        int len = out.position() - openStart - InjectWire.HEADER;
        if (len == 0) {
            out.position(openStart);
        } else {
            out.putInt(openStart + 1, len);
        }
        openStart = -1;
    }

    private void flush() throws IOException {
        closeFrame();
        out.flip();
        try {
            while (out.hasRemaining()) {
                channel.write(out);
            }
        } catch (IOException e) {
            // The daemon may have refused and closed: its reply says why.
            InjectResult r = readReplyAfterFailure();
            throw new InjectException(r != null ? r
                : InjectResult.of(QueueExit.DAEMON_FAILED, "lost the queue daemon: " + reason(e)));
        } finally {
            out.clear();
        }
    }

    private InjectResult readReplyAfterFailure() {
        try {
            InjectResult r = readReply();
            return r.code() == QueueExit.DAEMON_FAILED.code() ? null : r;
        } catch (IOException e) {
            return null;
        }
    }

    private InjectResult readReply() throws IOException {
        ByteBuffer in = ByteBuffer.allocate(InjectWire.MAX_REPLY);
        while (in.hasRemaining()) {
            int n;
            try {
                n = channel.read(in);
            } catch (IOException e) {
                break;
            }
            if (n < 0) {
                break;
            }
            if (in.get(in.position() - 1) == '\n') {
                return InjectWire.parseReply(in.array(), in.position());
            }
        }
        return InjectResult.of(QueueExit.DAEMON_FAILED, "the queue daemon closed without a reply");
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // Nothing to add: the caller already has its result.
            }
        }
    }

    private static String reason(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
