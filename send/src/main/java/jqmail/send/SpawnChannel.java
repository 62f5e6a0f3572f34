package jqmail.send;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jqmail.common.ChannelStreams;
import jqmail.common.Log;
import jqmail.common.Outcome;
import jqmail.common.SpawnWire;

/**
 * Deliveries through a spawner's socket (qmail-lspawn's for local,
 * qmail-rspawn's for remote), in {@link SpawnWire}'s requests and reports,
 * reports in any order. If the connection breaks, every delivery in flight is
 * reported as a temporary failure (it is retried, never lost) and the next
 * delivery reconnects.
 */
final class SpawnChannel implements Channel {
    private final String spawner;
    private final Path socket;
    private final Listener listener;
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    private SocketChannel ch;
    private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
    /** Whether the last attempt reached the spawner: an outage is logged once, not at every retry. */
    private boolean reachable = true;

    /** @param spawner the program's name, for logs and failure texts */
    SpawnChannel(String spawner, Path socket, Listener listener) {
        this.spawner = spawner;
        this.socket = socket;
        this.listener = listener;
    }

    @Override
    public synchronized boolean start(long ticket, String messageId, String sender, String recipient) {
        try {
            if (ch == null) {
                connect();
            }
        } catch (IOException e) {
            if (reachable) {
                Log.warning("unable to reach " + spawner + ": " + e.getMessage() + "; its deliveries wait for it");
                reachable = false;
            }
            return false;
        }
        reachable = true;
        inFlight.add(ticket);
        pending.writeBytes(SpawnWire.request(ticket, messageId, sender, recipient));
        return true;
    }

    /** One write for every delivery started since the last: the spawner sees them together and can batch them. */
    @Override
    public synchronized void flush() {
        if (pending.size() == 0 || ch == null) {
            pending.reset();
            return;
        }
        ByteBuffer buf = ByteBuffer.wrap(pending.toByteArray());
        pending.reset();
        try {
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        } catch (IOException e) {
            Log.warning("lost " + spawner + " while handing it deliveries: " + e.getMessage());
            drop();
        }
    }

    private void connect() throws IOException {
        SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        ch = c;
        Thread reader = new Thread(() -> read(c), spawner + "-reports");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(SocketChannel c) {
        InputStream in = new BufferedInputStream(ChannelStreams.in(c), 8192);
        try {
            for (;;) {
                String slot = SpawnWire.readField(in);
                String report = SpawnWire.readField(in);
                if (slot == null || report == null) {
                    break;
                }
                long ticket;
                try {
                    ticket = Long.parseLong(slot);
                } catch (NumberFormatException e) {
                    Log.warning(spawner + " sent a mangled report");
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
                listener.done(t, new Outcome.TempFailure("Lost the connection to " + spawner + ". (#4.3.0)"));
            }
        }
    }

    @Override
    public synchronized void close() {
        drop();
    }
}
