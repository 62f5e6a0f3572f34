package jqmail.common;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import jqmail.common.smtp.Authenticator;

/**
 * Asks the auth service ({@link AuthWire}) over its socket. The service
 * may take seconds to answer a failure (it slows guessing down), so callers
 * hold a session thread, never a shared one.
 */
public final class AuthClient implements Authenticator {
    /** Longest answer line: '+', an account name, '\n'. */
    private static final int MAX_ANSWER = AuthWire.MAX_FIELD + 2;
    /** Beyond the service's own slowing of failures: a hung service must not hold a session for ever. */
    private static final long TIMEOUT_NANOS = 30_000_000_000L;

    private final Path socket;

    public AuthClient(Path socket) {
        this.socket = socket;
    }

    @Override
    public Result check(String service, String user, String password, String remoteIp) throws IOException {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX); Selector sel = Selector.open()) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.configureBlocking(false);
            ByteBuffer out = ByteBuffer.wrap(AuthWire.request(service, user, password, remoteIp));
            ByteBuffer in = ByteBuffer.allocate(MAX_ANSWER);
            SelectionKey key = ch.register(sel, SelectionKey.OP_WRITE);
            while (!answered(in)) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new IOException("the auth service did not answer in " + TIMEOUT_NANOS / 1_000_000_000L + " s");
                }
                sel.select(left);
                if (out.hasRemaining()) {
                    ch.write(out);
                    if (!out.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                } else if (ch.read(in) < 0 || !in.hasRemaining()) {
                    break;
                }
            }
            in.flip();
            String answer = StandardCharsets.UTF_8.decode(in).toString();
            int nl = answer.indexOf('\n');
            return AuthWire.parseAnswer(nl < 0 ? null : answer.substring(0, nl));
        }
    }

    private static boolean answered(ByteBuffer in) {
        return in.position() > 0 && in.get(in.position() - 1) == '\n';
    }
}
