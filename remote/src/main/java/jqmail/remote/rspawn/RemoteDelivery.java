package jqmail.remote.rspawn;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import jqmail.common.Log;
import jqmail.common.Outcome;
import jqmail.queue.CorruptQueueFileException;
import jqmail.queue.Queue;
import jqmail.queue.QueueFile;
import jqmail.remote.route.DownedHosts;
import jqmail.remote.route.Hop;
import jqmail.remote.route.RouteFailure;
import jqmail.remote.route.Router;
import jqmail.remote.smtp.ClientSettings;
import jqmail.remote.smtp.MessageBody;
import jqmail.remote.smtp.RecipientResult;
import jqmail.remote.smtp.SmtpConnection;
import jqmail.remote.smtp.SmtpFailure;
import jqmail.remote.smtp.TlsPolicy;

/**
 * One {@link Job}: the message opened, the destination routed, the hops
 * tried in order (a host qmail-tcpto's rules call down is skipped unless
 * every host is), and one outcome per recipient, as qmail-remote reports
 * them: what the peer accepted is delivered, a 4xx for one recipient
 * defers only that one, a 5xx fails only that one, and a connection that
 * breaks before the final reply to DATA defers what it carried.
 */
final class RemoteDelivery {
    private final Queue queue;
    private final Router router;
    private final DownedHosts downed;
    private final Connections connections;
    private final Backoff backoff;
    private final Settings settings;

    RemoteDelivery(Queue queue, Router router, DownedHosts downed, Connections connections, Backoff backoff,
                   Settings settings) {
        this.queue = queue;
        this.router = router;
        this.downed = downed;
        this.connections = connections;
        this.backoff = backoff;
        this.settings = settings;
    }

    /** One outcome per request of the job, in order; never throws. */
    List<Outcome> run(Job job) {
        try (FileChannel ch = open(job)) {
            long length = QueueFile.bodyLength(ch);
            return deliver(job, new FileBody(ch, length));
        } catch (NoSuchFileException e) {
            return all(job, new Outcome.TempFailure("Unable to open message " + job.id() + ". (#4.3.0)"));
        } catch (CorruptQueueFileException e) {
            return all(job, new Outcome.TempFailure("Message " + job.id() + " is damaged: " + e.getMessage()
                + " (#4.3.0)"));
        } catch (IOException | RuntimeException e) {
            return all(job, new Outcome.TempFailure("Unable to read message " + job.id() + ": " + e.getMessage()
                + " (#4.3.0)"));
        }
    }

    /** The scheduler may hand out a message before the queue daemon has moved it out of todo/. */
    private FileChannel open(Job job) throws IOException {
        Path mess = queue.messFile(job.id());
        for (Path p : new Path[] {mess, queue.todoFile(job.id()), mess}) {
            FileChannel ch;
            try {
                ch = FileChannel.open(p, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                continue;   // try where it may have moved
            }
            if (queue.stillQueued(job.id())) {
                return ch;
            }
            ch.close();   // removed as it was opened: the file may hold another message next
            break;
        }
        throw new NoSuchFileException(mess.toString());
    }

    /** One outcome per request of the job, in order, for a message its caller opened. */
    List<Outcome> deliver(Job job, MessageBody body) {
        List<Hop> hops;
        try {
            hops = router.route(job.domain());
        } catch (RouteFailure e) {
            return all(job, e.outcome());
        }
        String destination = hops.get(0).smarthost() ? hops.get(0).host() : job.domain();
        String slowDown = backoff.deferral(destination);
        if (slowDown != null) {
            return all(job, new Outcome.TempFailure(slowDown));
        }
        List<Hop> up = new ArrayList<>();
        for (Hop h : hops) {
            if (!downed.isDown(h.address())) {
                up.add(h);
            }
        }
        String last = "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)";
        for (Hop h : up.isEmpty() ? hops : up) {
            ClientSettings client = settings.forHop(job.domain(), h);
            String key = poolKey(h, client);
            SmtpConnection idle = connections.take(key);
            if (idle != null) {
                try {
                    return send(idle, key, destination, job, body);
                } catch (SmtpFailure e) {
                    heed(destination, idle.throttledBy(), false);
                    idle.close();
                    if (!e.tryNextHost()) {
                        return all(job, failure(e));
                    }
                    // The peer closed a connection that waited for work: a fresh one is due, not the next host.
                }
            }
            SmtpConnection c = null;
            try {
                c = SmtpConnection.open(new InetSocketAddress(h.address(), h.port()), h.host(), client);
                downed.connected(h.address());
                if (c.tlsSummary() != null) {
                    Log.info("tls to " + h.host() + " [" + h.address().getHostAddress() + "]: " + c.tlsSummary());
                }
                return send(c, key, destination, job, body);
            } catch (SmtpFailure e) {
                if (c != null) {
                    heed(destination, c.throttledBy(), false);
                    c.close();
                } else {
                    heed(destination, e.throttledBy(), false);
                }
                if (e.connectTimedOut()) {
                    downed.timedOut(h.address());
                }
                last = e.getMessage();
                if (!e.tryNextHost()) {
                    return all(job, failure(e));
                }
            }
        }
        return all(job, new Outcome.TempFailure(last));
    }

    /**
     * Kept connections are shared by what was opened the same way: address
     * and port, TLS policy (and, when verified, the name and trust it was
     * verified against) and the login.
     */
    private static String poolKey(Hop h, ClientSettings c) {
        StringBuilder b = new StringBuilder(h.address().getHostAddress()).append('/').append(h.port())
            .append(' ').append(c.tls());
        if (c.tls() == TlsPolicy.REQUIRE_VERIFIED) {
            b.append(' ').append(h.host()).append(' ').append(System.identityHashCode(c.verifyingContext()));
        }
        if (c.authenticates()) {
            b.append(" auth ").append(c.authUser());
        }
        return b.toString();
    }

    /** One transaction on {@code c}; a connection left in good order waits for the next message. */
    private List<Outcome> send(SmtpConnection c, String key, String destination, Job job, MessageBody body)
        throws SmtpFailure {
        List<RecipientResult> results = c.send(job.sender(), job.recipients(), body);
        heed(destination, c.throttledBy(), results.stream().anyMatch(RecipientResult::delivered));
        if (c.reusable()) {
            connections.put(key, c);
        } else {
            c.close();
        }
        return outcomes(results);
    }

    /** A peer's request to slow down starts or extends the destination's backoff; a clean delivery ends it. */
    private void heed(String destination, String throttledBy, boolean delivered) {
        if (throttledBy != null) {
            if (backoff.deferral(destination) == null) {
                Log.info("backing off " + destination + ": it said " + throttledBy.replace('\n', '/'));
            }
            backoff.throttled(destination, throttledBy);
        } else if (delivered) {
            backoff.succeeded(destination);
        }
    }

    private static Outcome failure(SmtpFailure e) {
        return e.permanent() ? new Outcome.PermFailure(e.getMessage()) : new Outcome.TempFailure(e.getMessage());
    }

    private static List<Outcome> outcomes(List<RecipientResult> results) {
        List<Outcome> out = new ArrayList<>(results.size());
        for (RecipientResult r : results) {
            out.add(switch (r.code()) {
                case 'K' -> new Outcome.Delivered(r.text());
                case 'D' -> new Outcome.PermFailure(r.text());
                default -> new Outcome.TempFailure(r.text());
            });
        }
        return out;
    }

    private static List<Outcome> all(Job job, Outcome o) {
        List<Outcome> out = new ArrayList<>(job.requests().size());
        for (int i = 0; i < job.requests().size(); i++) {
            out.add(o);
        }
        return out;
    }

    /** The first {@code size} bytes of a file (a queued message, qmail-remote's stdin), afresh for each attempt. */
    record FileBody(FileChannel channel, long size) implements MessageBody {
        @Override
        public InputStream open() throws IOException {
            channel.position(0);
            return new org.apache.commons.io.input.BoundedInputStream.Builder()
                .setInputStream(Channels.newInputStream(channel)).setMaxCount(size).setPropagateClose(false).get();
        }
    }
}
