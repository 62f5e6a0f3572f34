package jqmail.remote.rspawn;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import jnr.unixsocket.Credentials;
import jnr.unixsocket.UnixSocketChannel;
import jqmail.common.ChannelStreams;
import jqmail.common.Identities;
import jqmail.common.Log;
import jqmail.common.Outcome;
import jqmail.common.SpawnWire;

/**
 * The spawner's work for one scheduler connection. Requests that arrive
 * together (the scheduler writes a message's recipients back to back) are
 * grouped by message, envelope sender and domain into {@link Job}s of at
 * most the per-transaction limit, so one SMTP transaction carries many
 * recipients; a VERP sender differs per recipient, so VERP mail goes one
 * recipient per transaction. Each job runs on a thread of its own, at most
 * {@code concurrencydestination} at once per domain, and every request
 * gets exactly one report.
 */
final class Rspawn {
    private final Identities ids;
    private final ExecutorService pool;
    private final Map<String, Semaphore> perDomain = new ConcurrentHashMap<>();
    private volatile RemoteDelivery delivery;
    private volatile Settings settings;

    Rspawn(Identities ids, ExecutorService pool, RemoteDelivery delivery, Settings settings) {
        this.ids = ids;
        this.pool = pool;
        this.delivery = delivery;
        this.settings = settings;
    }

    /** SIGHUP: new settings (and a router that read smtproutes anew) for the jobs that start from now. */
    void reload(RemoteDelivery d, Settings s) {
        delivery = d;
        settings = s;
    }

    /** Serves one scheduler connection until it closes. */
    void serve(UnixSocketChannel ch, Credentials peer) {
        if (peer.getUid() != ids.uid(Identities.Role.SEND)) {
            Log.warning("qmail-rspawn: refused a connection from uid " + Integer.toUnsignedString(peer.getUid()));
            RspawnMain.closeQuietly(ch);
            return;
        }
        try (ch) {
            InputStream in = new BufferedInputStream(ChannelStreams.in(ch), 64 * 1024);
            OutputStream out = ChannelStreams.out(ch);
            Map<String, List<SpawnWire.Request>> gathering = new LinkedHashMap<>();
            for (;;) {
                SpawnWire.Request r = SpawnWire.readRequest(in);
                if (r == null) {
                    return;
                }
                String key = r.id() + "\0" + r.sender() + "\0" + jqmail.common.Address.domainOf(r.recipient());
                gathering.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
                if (in.available() == 0) {   // nothing more arrived with it: start what was gathered
                    for (List<SpawnWire.Request> group : gathering.values()) {
                        start(group, out);
                    }
                    gathering.clear();
                }
            }
        } catch (IOException e) {
            Log.warning("qmail-rspawn: lost the scheduler: " + e.getMessage());
        }
    }

    private void start(List<SpawnWire.Request> group, OutputStream out) {
        int limit = settings.client().maxRecipientsPerTransaction();
        SpawnWire.Request first = group.get(0);
        String domain = jqmail.common.Address.domainOf(first.recipient());
        for (int i = 0; i < group.size(); i += limit) {
            Job job = new Job(first.id(), first.sender(), domain, List.copyOf(group.subList(i, Math.min(group.size(),
                i + limit))));
            pool.execute(() -> run(job, out));
        }
    }

    private void run(Job job, OutputStream out) {
        Semaphore s = perDomain.computeIfAbsent(job.domain(), d -> new Semaphore(settings.concurrencyPerDestination()));
        List<Outcome> outcomes;
        try {
            s.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;   // shutting down: the scheduler retries what it did not hear about
        }
        try {
            outcomes = delivery.run(job);
        } catch (RuntimeException e) {
            Log.warning("qmail-rspawn: trouble delivering " + job.id() + ": " + e);
            outcomes = java.util.Collections.nCopies(job.requests().size(),
                new Outcome.TempFailure("Internal trouble in qmail-rspawn. (#4.3.0)"));
        } finally {
            s.release();
        }
        for (int i = 0; i < job.requests().size(); i++) {
            byte[] b = SpawnWire.report(job.requests().get(i).slot(), outcomes.get(i));
            synchronized (out) {
                try {
                    out.write(b);
                    out.flush();
                } catch (IOException e) {
                    return;   // the scheduler went away; it retries what it did not hear about
                }
            }
        }
    }
}
