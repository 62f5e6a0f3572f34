package jqmail.send;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import jqmail.common.QueueId;

/**
 * The scheduler's side of the queue daemon's cleaning socket: "todo ID"
 * (move the message from todo/ to mess/) and "done ID" (remove it). One
 * connection per thread that uses it, reopened after a failure. Never used
 * on the scheduler's own thread.
 */
final class CleanClient {
    private final Path socket;
    private SocketChannel ch;

    CleanClient(Path socket) {
        this.socket = socket;
    }

    /**
     * Several requests in one write, their answers in one read: true for each
     * the daemon did. Cleanup of a burst of finished messages costs one round trip.
     */
    boolean[] batch(String verb, java.util.List<QueueId> ids) throws IOException {
        StringBuilder b = new StringBuilder();
        for (QueueId id : ids) {
            b.append(verb).append(' ').append(id).append('\n');
        }
        for (int attempt = 0; ; attempt++) {
            try {
                if (ch == null) {
                    ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                }
                ByteBuffer out = ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.US_ASCII));
                while (out.hasRemaining()) {
                    ch.write(out);
                }
                ByteBuffer in = ByteBuffer.allocate(2 * ids.size());
                while (in.hasRemaining()) {
                    if (ch.read(in) < 0) {
                        throw new IOException("the queue daemon closed the cleaning connection");
                    }
                }
                boolean[] done = new boolean[ids.size()];
                for (int i = 0; i < done.length; i++) {
                    char c = (char) in.get(2 * i);
                    if (c == 'x') {
                        throw new IOException("the queue daemon refused a " + verb + " request");
                    }
                    done[i] = c == '+';
                }
                return done;
            } catch (IOException e) {
                close();
                if (attempt > 0) {
                    throw e;
                }
            }
        }
    }

    void close() {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // Reopened next time.
            }
            ch = null;
        }
    }
}
