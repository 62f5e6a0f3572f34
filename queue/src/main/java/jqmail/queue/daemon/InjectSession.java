package jqmail.queue.daemon;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.time.ZonedDateTime;
import jqmail.common.Address;
import jqmail.common.EnvelopeException;
import jqmail.common.EnvelopeReader;
import jqmail.common.EnvelopeWriter;
import jqmail.common.InjectWire;
import jqmail.common.Log;
import jqmail.common.QueueExit;
import jqmail.queue.Queue;

/**
 * One injection from one client: reads the frames, streams the body into
 * {@code tmp/}, validates and appends the envelope, commits, replies. A
 * client that goes away before its end frame leaves nothing queued.
 */
final class InjectSession {
    /** How often (in body bytes) the free-space floor is checked again while streaming. */
    private static final long FLOOR_CHECK_BYTES = 4L << 20;
    private static final int ENVELOPE_FLUSH = 64 * 1024;
    /** qmail-queue's DEATH: no injection lives longer than a day, however it trickles. */
    private static final long LIFETIME_NANOS = 86_400L * 1_000_000_000L;

    /** What the session knows of its peer from the socket. */
    record Peer(int uid, long pid) {
    }

    /** A failure to report to the client. */
    private static final class Refusal extends Exception {
        final QueueExit exit;

        Refusal(QueueExit exit, String message) {
            super(message);
            this.exit = exit;
        }
    }

    private final QueueDaemon daemon;
    private final ByteChannel channel;
    private final Peer peer;
    private final FrameReader frames;

    InjectSession(QueueDaemon daemon, ByteChannel channel, Peer peer) {
        this.daemon = daemon;
        this.channel = channel;
        this.peer = peer;
        this.frames = new FrameReader(channel, LIFETIME_NANOS);
    }

    void run() {
        Queue.Incoming in = null;
        try {
            expectVersion();
            if (frames.kind() == FrameReader.EOF) {
                return;
            }
            checkFloor();
            int kind = frames.next();
            if (kind == InjectWire.PROBE) {
                reply(0, "ready");
                kind = frames.next();
            }
            if (kind == FrameReader.EOF) {
                return;
            }
            in = create();
            in.writeBody(ByteBuffer.wrap(ReceivedLine.format(peer.pid(), peer.uid(), daemon.identities(),
                ZonedDateTime.now())));
            kind = copyBody(in, kind);
            if (kind == FrameReader.EOF) {
                return;
            }
            if (kind != InjectWire.ENVELOPE) {
                throw new Refusal(QueueExit.READ_ERROR, "message ended without an envelope");
            }
            EnvelopeSummary env = copyEnvelope(in);
            kind = frames.kind();
            if (kind == FrameReader.EOF) {
                return;
            }
            if (kind != InjectWire.END) {
                throw new Refusal(QueueExit.ENVELOPE_FORMAT, "bytes after the envelope's end");
            }
            commit(in);
            reply(0, "ok " + in.id());
            daemon.committed(in, env.sender, env.recipients,
                "qp " + peer.pid() + " uid " + Integer.toUnsignedString(peer.uid()));
        } catch (Refusal r) {
            reply(r.exit.code(), r.getMessage());
        } catch (FrameReader.ClientGoneException e) {
            // Nothing was acknowledged; the scratch file goes below.
        } catch (FrameReader.ProtocolException e) {
            reply(QueueExit.BUG.code(), "injection protocol error: " + e.getMessage());
        } catch (SocketTimeoutException e) {
            reply(QueueExit.TIMEOUT.code(), "timed out waiting for the client");
        } catch (IOException e) {
            Log.warning("trouble writing " + (in == null ? "a message" : "msg " + in.id()) + ": " + e.getMessage());
            reply(QueueExit.WRITE_ERROR.code(), QueueExit.WRITE_ERROR.text());
        } finally {
            if (in != null) {
                in.close();
            }
        }
    }

    private void expectVersion() throws IOException, Refusal {
        int kind = frames.next();
        if (kind == FrameReader.EOF) {
            return;
        }
        if (kind != InjectWire.VERSION) {
            throw new FrameReader.ProtocolException("first frame is not the version");
        }
        byte[] v = frames.smallPayload(16);
        if (v.length != 1 || v[0] != InjectWire.VERSION_1[0]) {
            throw new Refusal(QueueExit.BUG, "unsupported injection protocol version");
        }
    }

    private Queue.Incoming create() throws Refusal {
        try {
            return daemon.queue().create(daemon.ids().next());
        } catch (IOException e) {
            Log.warning("unable to create a file in " + daemon.queue().tmp() + ": " + e);
            throw new Refusal(QueueExit.QUEUE_ERROR, QueueExit.QUEUE_ERROR.text());
        }
    }

    /** A file system that refuses the rename is qmail's 62-66; a failed write or fsync is 53. */
    private void commit(Queue.Incoming in) throws Refusal, IOException {
        try {
            daemon.queue().commit(in);
        } catch (java.nio.file.FileSystemException e) {
            Log.warning("unable to commit msg " + in.id() + ": " + e);
            throw new Refusal(QueueExit.QUEUE_ERROR, QueueExit.QUEUE_ERROR.text());
        }
    }

    private void checkFloor() throws IOException, Refusal {
        long free = daemon.queue().usableSpace();
        long floor = daemon.settings().minFree();
        if (free < floor) {
            throw new Refusal(QueueExit.WRITE_ERROR,
                "queue file system below its free-space floor (" + free + " < " + floor + " bytes) (#4.3.1)");
        }
    }

    /** Copies message frames, the first of which is already read; returns the first kind after them. */
    private int copyBody(Queue.Incoming in, int first) throws IOException, Refusal {
        long sinceCheck = 0;
        for (int kind = first; ; kind = frames.next()) {
            if (kind != InjectWire.MESSAGE) {
                return kind;
            }
            while (frames.left() > 0) {
                ByteBuffer p = frames.payload();
                sinceCheck += p.remaining();
                in.writeBody(p);
            }
            if (sinceCheck >= FLOOR_CHECK_BYTES) {
                sinceCheck = 0;
                checkFloor();
            }
        }
    }

    private record EnvelopeSummary(Address sender, long recipients) {
    }

    /** Validates the client's envelope record by record and appends it after the queue's own records. */
    private EnvelopeSummary copyEnvelope(Queue.Incoming in) throws IOException, Refusal {
        InputStream stream = new BufferedInputStream(frames.envelopeStream(), 8192);
        EnvelopeReader reader = new EnvelopeReader(stream);
        EnvelopeWriter out = new EnvelopeWriter().uid(Integer.toUnsignedLong(peer.uid())).pid(peer.pid());
        Address sender = null;
        long recipients = 0;
        long flushes = 0;
        try {
            for (EnvelopeReader.Entry e = reader.next(); ; e = reader.next()) {
                if (e.isEnd()) {
                    out.end();
                    break;
                }
                if (e.kind() == 'F') {
                    sender = e.address();
                    out.sender(sender);
                } else {
                    out.recipient(e.address());
                    recipients++;
                }
                if (out.size() >= ENVELOPE_FLUSH) {
                    in.writeEnvelope(ByteBuffer.wrap(out.toByteArray()));
                    out.reset();
                    if (++flushes % (FLOOR_CHECK_BYTES / ENVELOPE_FLUSH) == 0) {
                        checkFloor();
                    }
                }
            }
        } catch (EnvelopeException e) {
            throw new Refusal(e.exit(), e.getMessage());
        }
        // Reading past the end also moves the frame reader on to the frame after the envelope.
        if (stream.read() >= 0) {
            throw new Refusal(QueueExit.ENVELOPE_FORMAT, "bytes after the envelope's end");
        }
        in.writeEnvelope(ByteBuffer.wrap(out.toByteArray()));
        return new EnvelopeSummary(sender, recipients);
    }

    private void reply(int code, String text) {
        ByteBuffer b = ByteBuffer.wrap(InjectWire.reply(code, text));
        try {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            // The client is gone; nothing was acknowledged to anyone.
        }
    }
}
