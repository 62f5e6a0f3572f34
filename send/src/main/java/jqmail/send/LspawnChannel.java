package jqmail.send;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jqmail.common.ChannelStreams;
import jqmail.common.Log;
import jqmail.common.Outcome;

/**
 * Local deliveries through qmail-lspawn's socket: requests
 * {@code TICKET\0ID\0SENDER\0RECIPIENT\0}, reports {@code TICKET\0LETTERtext\0}
 * in any order. If the connection breaks, every delivery in flight is
 * reported as a temporary failure (it is retried, never lost) and the next
 * delivery reconnects.
 */
final class LspawnChannel implements Channel {
    private final Path socket;
    private final Listener listener;
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    private SocketChannel ch;

    LspawnChannel(Path socket, Listener listener) {
        this.socket = socket;
        this.listener = listener;
    }

    @Override
    public synchronized boolean start(long ticket, String messageId, String sender, String recipient) {
        try {
            if (ch == null) {
                connect();
            }
            byte[] b = (ticket + "\0" + messageId + "\0" + sender + "\0" + recipient + "\0")
                .getBytes(StandardCharsets.ISO_8859_1);
            inFlight.add(ticket);
            ByteBuffer buf = ByteBuffer.wrap(b);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            return true;
        } catch (IOException e) {
            inFlight.remove(ticket);
            Log.warning("unable to reach qmail-lspawn: " + e.getMessage());
            drop();
            return false;
        }
    }

    private void connect() throws IOException {
        SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        ch = c;
        Thread reader = new Thread(() -> read(c), "lspawn-reports");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(SocketChannel c) {
        InputStream in = new BufferedInputStream(ChannelStreams.in(c), 8192);
        try {
            for (;;) {
                String slot = field(in);
                String report = field(in);
                if (slot == null || report == null) {
                    break;
                }
                long ticket;
                try {
                    ticket = Long.parseLong(slot);
                } catch (NumberFormatException e) {
                    Log.warning("qmail-lspawn sent a mangled report");
                    break;
                }
                if (inFlight.remove(ticket)) {
                    listener.done(ticket, Outcome.decode(report));
                }
            }
        } catch (IOException e) {
            // Fall through: the connection is gone.
        }
        synchronized (this) {
            if (ch == c) {
                drop();
            }
        }
    }

    /** Closes the connection; deliveries it carried are reported as deferred. */
    private void drop() {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // Gone anyway.
            }
            ch = null;
        }
        for (Long t : Set.copyOf(inFlight)) {
            if (inFlight.remove(t)) {
                listener.done(t, new Outcome.TempFailure("Lost the connection to qmail-lspawn. (#4.3.0)"));
            }
        }
    }

    private static String field(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        for (;;) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            if (c == 0) {
                return b.toString(StandardCharsets.ISO_8859_1);
            }
            if (b.size() > 10_000) {
                throw new IOException("report too long");
            }
            b.write(c);
        }
    }

    @Override
    public synchronized void close() {
        drop();
    }
}
