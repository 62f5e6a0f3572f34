package jqmail.queue.inspect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import jqmail.common.Home;

/**
 * The scheduler's control socket, {@code run/send/control.sock}, from the
 * client's side: one request line, one answer ({@code ok} or {@code error}
 * on its first line, then text), for the listing tools, {@code sendmail -q}
 * and {@code jqmail queue}. JDK only, so the fast-starting programs can use it.
 */
public final class ControlClient {
    /** Answers are small; a listing of a huge queue is the largest. */
    private static final int MAX_ANSWER = 256 * 1024 * 1024;

    /** The scheduler's answer: whether it said ok, and the text after that first word. */
    public record Answer(boolean ok, String text) {
    }

    private ControlClient() {
    }

    /** Asks the scheduler; null when no scheduler answers (not running, no socket, refused). */
    public static Answer ask(Home home, String request) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(home.run().resolve("send/control.sock")));
            ch.write(ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (ch.read(buf) >= 0 && b.size() < MAX_ANSWER) {
                buf.flip();
                b.write(buf.array(), 0, buf.limit());
                buf.clear();
            }
            String s = b.toString(StandardCharsets.UTF_8);
            if (s.startsWith("ok\n") || s.startsWith("ok ")) {   // a listing follows "ok\n"; an admin answer is "ok what"
                return new Answer(true, s.substring(3));
            }
            if (s.startsWith("error ")) {
                return new Answer(false, s.substring(6));
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
