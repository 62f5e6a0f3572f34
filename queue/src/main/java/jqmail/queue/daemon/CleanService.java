package jqmail.queue.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import jnr.unixsocket.Credentials;
import jnr.unixsocket.UnixSocketChannel;
import jqmail.common.Log;
import jqmail.common.QueueId;

/**
 * qmail-clean's job, on {@code run/queue/clean.sock}: the scheduler asks,
 * the queue daemon (the only writer of {@code todo/} and {@code mess/})
 * acts. Only the scheduler's uid is served. One request per line:
 *
 * <pre>
 * todo ID    the scheduler has taken the message: move todo/ID to mess/SPLIT/ID
 * done ID    every recipient is done: remove the message's file
 * </pre>
 *
 * Each gets one reply line: {@code +} done, {@code !} the file system
 * refused, {@code x} a malformed request (after which the connection is
 * closed). Requests may be pipelined; replies come in order.
 */
final class CleanService implements SocketServer.Handler {
    private static final int MAX_LINE = 64;

    private final QueueDaemon daemon;

    CleanService(QueueDaemon daemon) {
        this.daemon = daemon;
    }

    @Override
    public void serve(UnixSocketChannel ch, Credentials peer) {
        try (ch) {
            int scheduler = daemon.identities().uid(jqmail.common.Identities.Role.SEND);
            if (peer.getUid() != scheduler) {
                Log.warning("clean request from uid " + Integer.toUnsignedString(peer.getUid()) + " refused");
                return;
            }
            ByteBuffer in = ByteBuffer.allocate(4096);
            StringBuilder line = new StringBuilder();
            for (;;) {
                in.clear();
                int n = ch.read(in);
                if (n <= 0) {
                    return;
                }
                in.flip();
                StringBuilder replies = new StringBuilder();
                while (in.hasRemaining()) {
                    char c = (char) (in.get() & 0xff);
                    if (c != '\n') {
                        if (line.length() >= MAX_LINE) {
                            send(ch, replies.append("x\n"));
                            return;
                        }
                        line.append(c);
                        continue;
                    }
                    char r = handle(line.toString());
                    line.setLength(0);
                    replies.append(r).append('\n');
                    if (r == 'x') {
                        send(ch, replies);
                        return;
                    }
                }
                send(ch, replies);
            }
        } catch (IOException e) {
            // The scheduler went away; it asks again when it returns.
        }
    }

    /** Carries out one request; returns the reply character. */
    char handle(String request) {
        int sp = request.indexOf(' ');
        QueueId id = sp < 0 ? null : QueueId.parse(request.substring(sp + 1));
        if (id == null) {
            return 'x';
        }
        String verb = request.substring(0, sp);
        try {
            switch (verb) {
                case "todo":
                    return daemon.queue().preprocess(id) ? '+' : '!';
                case "done":
                    daemon.queue().remove(id);
                    Log.info("removed msg " + id);
                    return '+';
                default:
                    return 'x';
            }
        } catch (IOException e) {
            Log.warning("unable to " + verb + " msg " + id + ": " + e.getMessage());
            return '!';
        }
    }

    private static void send(UnixSocketChannel ch, CharSequence s) throws IOException {
        if (s.length() == 0) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(s.toString().getBytes(StandardCharsets.US_ASCII));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
