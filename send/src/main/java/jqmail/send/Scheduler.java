package jqmail.send;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jqmail.common.Address;
import jqmail.common.EnvelopeWriter;
import jqmail.common.Home;
import jqmail.common.InjectException;
import jqmail.common.InjectResult;
import jqmail.common.Log;
import jqmail.common.Outcome;
import jqmail.common.QueueId;
import jqmail.common.QueueSubmission;
import jqmail.common.Routing;
import jqmail.common.Unlink;
import jqmail.queue.CorruptQueueFileException;
import jqmail.queue.Queue;
import jqmail.queue.QueueFile;
import jqmail.queue.inspect.QueueListing;

/**
 * qmail-send's brain. One thread owns every message's state and runs the
 * loop below; everything that touches files or waits on another process
 * runs elsewhere and comes back as an event posted to {@link #post}:
 *
 * <pre>
 * todo thread   takes new messages (envelope, routing): a burst of injections never
 *               holds up deliveries
 * io thread     "todo ID" and "done ID" batches to the queue daemon, state files,
 *               checkpoints, next-attempt times, bounces
 * channels      deliveries; their reports come back as events
 * </pre>
 *
 * The loop: take events; start the passes that are due (qmail's schedule,
 * {@link Retry}); fill free delivery slots ({@code concurrencylocal},
 * {@code concurrencyremote}); sleep until the next due pass or event.
 */
public final class Scheduler {
    /** qmail-send's SLEEP_SYSFAIL: how long to wait after a failed bounce or cleanup. */
    static final long RETRY_TROUBLE_SECONDS = 123;
    static final String DYING = "I'm not going to try again; this message has been in the queue too long.";

    /** A delivery waiting for, or holding, a slot. */
    private static final class Ticket {
        final long number;
        final Msg msg;
        final Msg.Kind kind;
        final Recipient recipient;
        /** The slot it runs in, once started. */
        Slot slot;

        Ticket(long number, Msg msg, Msg.Kind kind, Recipient recipient) {
            this.number = number;
            this.msg = msg;
            this.kind = kind;
            this.recipient = recipient;
        }
    }

    /**
     * What {@code concurrencylocal}/{@code concurrencyremote} count: a local
     * delivery, or a remote transaction, which carries every waiting
     * recipient of the same message at the same domain (up to
     * {@code maxrcptremote}); the slot is free when its last delivery reports.
     */
    private static final class Slot {
        int open;
    }

    /** A job due at a time. */
    private record Due(long at, Msg msg, Msg.Kind kind) {
    }

    private final Home home;
    private final Queue queue;
    private final StateFiles state;
    private final Clock clock;
    private final BlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
    private final ExecutorService todo = Executors.newSingleThreadExecutor(r -> daemon(r, "todo"));
    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> daemon(r, "io"));
    private final Map<QueueId, Msg> msgs = new HashMap<>();
    private final Set<QueueId> taking = new HashSet<>();
    private final PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
    private final Map<Msg.Kind, ArrayDeque<Ticket>> waiting = new EnumMap<>(Msg.Kind.class);
    private final Map<Msg.Kind, Integer> active = new EnumMap<>(Msg.Kind.class);
    private final Map<Long, Ticket> running = new HashMap<>();
    private final Map<Msg.Kind, Channel> channels = new EnumMap<>(Msg.Kind.class);
    private final CleanClient ioClean;
    private volatile Settings settings;
    private volatile boolean stopping;
    private boolean draining;
    /** hold/ as last read (at start and on SIGHUP): a message taken meanwhile cannot have been held before. */
    private volatile Set<QueueId> held = Set.of();
    private long tickets;

    public Scheduler(Home home, Settings settings, Clock clock) {
        this.home = home;
        this.queue = new Queue(home.queue());
        this.state = new StateFiles(home.queue());
        this.clock = clock;
        this.settings = settings;
        this.ioClean = new CleanClient(home.cleanSocket());
        for (Msg.Kind k : Msg.Kind.values()) {
            waiting.put(k, new ArrayDeque<>());
            active.put(k, 0);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Sets where deliveries of a kind go; without one, that kind's mail waits in the queue. */
    void channel(Msg.Kind kind, Channel c) {
        channels.put(kind, c);
    }

    /** The listener channels report to: each report becomes an event on the scheduler's thread. */
    Channel.Listener listener() {
        return (ticket, outcome) -> post(() -> finished(ticket, outcome));
    }

    void post(Runnable event) {
        events.add(event);
    }

    long now() {
        return clock.instant().getEpochSecond();
    }

    // ---- the loop ----------------------------------------------------------------------------

    /** Runs until {@link #stop()}; at start it rebuilds everything from the directories. */
    public void run() {
        todo.execute(this::rebuild);
        while (!stopping) {
            Runnable e;
            try {
                e = events.poll(sleepMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                return;
            }
            for (; e != null; e = events.poll()) {
                try {
                    e.run();
                } catch (RuntimeException x) {
                    Log.warning("scheduler event failed: " + x);
                }
            }
            startDuePasses();
            fillSlots();
        }
    }

    private long sleepMillis() {
        Due d = due.peek();
        long max = 60_000;
        if (d == null) {
            return max;
        }
        long ms = (d.at - now()) * 1000;
        return Math.max(1, Math.min(max, ms));
    }

    public void stop() {
        stopping = true;
        post(() -> { });
        ioClean.close();
    }

    // ---- taking new messages (todo thread) ---------------------------------------------------

    /** The trigger named a new message, or a scan found one. */
    void newMessage(QueueId id) {
        post(() -> {
            if (msgs.containsKey(id) || !taking.add(id)) {
                return;
            }
            todo.execute(() -> take(id));
        });
    }

    /** A scan of todo/: every message there not yet known is taken. */
    void scanTodo() {
        todo.execute(() -> {
            try {
                for (QueueId id : Queue.idsIn(queue.todo())) {
                    newMessage(id);
                }
            } catch (IOException x) {
                Log.warning("unable to scan " + queue.todo() + ": " + x.getMessage());
            }
        });
    }

    /**
     * On the todo thread: read the envelope and route; no state is written
     * yet ({@link StateFiles}). The move of todo/ID to mess/ is asked for
     * afterwards, in batches, on the io thread: deliveries do not wait for it
     * (qmail-lspawn finds the file in either).
     */
    private void take(QueueId id) {
        try {
            Msg m;
            try {
                m = fresh(id, queue.todoFile(id), now());
                Msg saved = Files.exists(state.info(id)) ? state.load(id, m.bytes) : null;
                if (saved != null) {
                    // Taken before a restart; its state decides, not the envelope.
                    m = saved;
                } else {
                    Log.info("new msg " + id);
                    Log.info("info msg " + id + ": bytes " + m.bytes + " from <" + new Address(m.sender).printable()
                        + "> uid " + m.uid);
                }
                moveLater(id);
            } catch (NoSuchFileException e) {
                m = state.load(id, QueueFile.readEnvelope(queue.messFile(id), true).bodyLength());
                if (m == null) {
                    // Taken before a restart and never needed state: every recipient is due, born when queued.
                    state.removeAll(id);
                    long queued = Files.getLastModifiedTime(queue.messFile(id)).toMillis() / 1000;
                    m = fresh(id, queue.messFile(id), Math.min(queued, now()));
                }
            }
            Msg taken = m;
            post(() -> {
                taking.remove(id);
                admit(taken);
            });
        } catch (NoSuchFileException e) {
            post(() -> taking.remove(id));
        } catch (IOException | CorruptQueueFileException | RuntimeException e) {
            Log.warning("trouble taking msg " + id + ": " + e.getMessage() + "; will retry");
            post(() -> taking.remove(id));
        }
    }

    private final java.util.concurrent.ConcurrentLinkedQueue<QueueId> moves = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private void moveLater(QueueId id) {
        moves.add(id);
        io.execute(this::drainMoves);
    }

    /** On the io thread: every pending todo/ to mess/ move in one request batch. */
    private void drainMoves() {
        List<QueueId> batch = new ArrayList<>();
        for (QueueId id; (id = moves.poll()) != null; ) {
            batch.add(id);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            ioClean.batch("todo", batch);
        } catch (IOException e) {
            Log.warning("unable to have " + batch.size() + " message(s) moved out of todo/: " + e.getMessage()
                + "; they are moved at the next start");
        }
    }

    private Msg fresh(QueueId id, Path file, long birth) throws IOException, CorruptQueueFileException {
        QueueFile.Envelope env = QueueFile.readEnvelope(file, true);
        Msg m = new Msg(id, env.sender().value(), birth, env.uid(), env.bodyLength());
        Routing routing = settings.routing();
        long[] offsets = new long[2];
        for (Address a : env.recipients()) {
            Routing.Route r = routing.route(a.value());
            Msg.Kind k = r.channel() == Routing.Channel.LOCAL ? Msg.Kind.LOCAL : Msg.Kind.REMOTE;
            int i = k.ordinal();
            m.job(k).recipients.add(new Recipient(r.address(), offsets[i], false));
            offsets[i] += r.address().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1).length + 2;
        }
        return m;
    }

    /** On the scheduler's thread: a message joins the schedule. */
    private void admit(Msg m) {
        if (msgs.containsKey(m.id)) {
            return;   // a scan's take and the start-up rebuild can both find the same message
        }
        m.held = held.contains(m.id);
        msgs.put(m.id, m);
        for (Msg.Kind k : Msg.Kind.values()) {
            Msg.Job j = m.job(k);
            if (j.hasPending()) {
                due.add(new Due(Math.min(j.next == 0 ? m.birth : j.next, Long.MAX_VALUE), m, k));
            }
        }
        if (m.allDone()) {
            finish(m);
        }
    }

    /** At start: state files first, then todo/, then messages whose state was lost. */
    private void rebuild() {
        try {
            held = state.holds();
            Set<QueueId> known = new HashSet<>();
            for (QueueId id : state.infoIds()) {
                if (recover(id)) {
                    known.add(id);
                }
            }
            for (Queue.Entry e : queue.walk()) {
                if (e.stage() == Queue.Stage.TODO || !known.contains(e.id())) {
                    newMessage(e.id());
                }
            }
        } catch (IOException e) {
            Log.alert("unable to read the queue at start: " + e.getMessage());
        }
        Log.info("status: queue read");
    }

    /** True when the message is dealt with; false when its state was unusable and it must be taken afresh. */
    private boolean recover(QueueId id) {
        try {
            Path mess = queue.messFile(id);
            if (!Files.exists(mess) && !Files.exists(queue.todoFile(id))) {
                // Removal was interrupted after the message file went: finish the job.
                state.removeAll(id);
                Log.info("end msg " + id);
                return true;
            }
            long bytes = QueueFile.readEnvelope(Files.exists(mess) ? mess : queue.todoFile(id), true).bodyLength();
            Msg m = state.load(id, bytes);
            if (m == null) {
                return false;
            }
            post(() -> admit(m));
        } catch (IOException | CorruptQueueFileException e) {
            Log.warning("trouble with msg " + id + " at start: " + e.getMessage());
        }
        return true;
    }

    // ---- passes and slots (scheduler's thread) -----------------------------------------------

    private void startDuePasses() {
        long now = now();
        while (!due.isEmpty() && due.peek().at <= now) {
            Due d = due.poll();
            Msg.Job j = d.msg.job(d.kind);
            if (!msgs.containsKey(d.msg.id) || j.passRunning || d.msg.held || !j.hasPending()) {
                continue;
            }
            j.passRunning = true;
            j.next = Retry.next(d.msg.birth, now, j.skip());
            j.dying = now >= d.msg.birth + settings.queueLifetime();
            for (Recipient r : j.recipients) {
                if (r.state == Recipient.State.PENDING && !r.inFlight) {
                    waiting.get(d.kind).add(new Ticket(++tickets, d.msg, d.kind, r));
                    j.queued++;
                }
            }
            endPassIfIdle(d.msg, d.kind);
        }
    }

    private void fillSlots() {
        if (draining) {
            for (ArrayDeque<Ticket> w : waiting.values()) {
                for (Ticket t : w) {
                    t.msg.job(t.kind).queued--;
                }
                w.clear();
            }
            return;
        }
        for (Msg.Kind k : Msg.Kind.values()) {
            Channel c = channels.get(k);
            int limit = k == Msg.Kind.LOCAL ? settings.concurrencyLocal() : settings.concurrencyRemote();
            ArrayDeque<Ticket> w = waiting.get(k);
            while (c != null && !unreachable.contains(k) && active.get(k) < limit && !w.isEmpty()) {
                Ticket t = w.poll();
                t.msg.job(k).queued--;
                if (!msgs.containsKey(t.msg.id)) {
                    continue;
                }
                Slot slot = new Slot();
                if (!launch(c, t, slot)) {
                    putBack(w, t);
                    break;
                }
                active.put(k, active.get(k) + 1);
                if (k == Msg.Kind.REMOTE && !t.msg.sender.endsWith("-@[]") && !addRiders(c, w, t, slot)) {
                    break;
                }
            }
            if (c != null) {
                c.flush();
            }
        }
    }

    /**
     * The recipients of {@code first}'s message at the same domain join its
     * slot: one SMTP transaction. They wait next to it (a pass queues a
     * message's recipients together), so only that run is looked at. False
     * when the agent went away meanwhile.
     */
    private boolean addRiders(Channel c, ArrayDeque<Ticket> w, Ticket first, Slot slot) {
        String domain = Address.domainOf(first.recipient.address);
        for (var it = w.iterator(); it.hasNext() && slot.open < settings.maxRcptRemote(); ) {
            Ticket u = it.next();
            if (u.msg != first.msg) {
                break;
            }
            if (!Address.domainOf(u.recipient.address).equals(domain)) {
                continue;
            }
            it.remove();
            u.msg.job(u.kind).queued--;
            if (!launch(c, u, slot)) {
                putBack(w, u);
                return false;
            }
        }
        return true;
    }

    /** Hands one delivery to its channel; false (and nothing changed) when the agent cannot be reached. */
    private boolean launch(Channel c, Ticket t, Slot slot) {
        Msg.Job j = t.msg.job(t.kind);
        t.recipient.inFlight = true;
        j.inFlight++;
        running.put(t.number, t);
        t.slot = slot;
        if (!c.start(t.number, t.msg.id.toString(), Verp.expand(t.msg.sender, t.recipient.address),
            t.recipient.address)) {
            running.remove(t.number);
            t.recipient.inFlight = false;
            j.inFlight--;
            t.slot = null;
            retryLater(t.kind);
            return false;
        }
        slot.open++;
        Log.info("starting delivery " + t.number + ": msg " + t.msg.id + " to " + kindName(t.kind) + " "
            + new Address(t.recipient.address).printable());
        return true;
    }

    /** The agent is not up (yet, or again): no attempt was made; the ticket waits for it, first in line. */
    private static void putBack(ArrayDeque<Ticket> w, Ticket t) {
        t.msg.job(t.kind).queued++;
        w.addFirst(t);
    }

    /** Channels whose agent could not be reached a moment ago. */
    private final Set<Msg.Kind> unreachable = java.util.EnumSet.noneOf(Msg.Kind.class);

    /** A delivery agent could not be reached: its waiting deliveries try again in a second. */
    private void retryLater(Msg.Kind k) {
        if (unreachable.add(k)) {
            CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> post(() -> unreachable.remove(k)));
        }
    }

    private static String kindName(Msg.Kind k) {
        return k == Msg.Kind.LOCAL ? "local" : "remote";
    }

    /** A delivery's report. */
    private void finished(long number, Outcome outcome) {
        Ticket t = running.remove(number);
        if (t == null) {
            return;
        }
        Msg m = t.msg;
        Msg.Job j = m.job(t.kind);
        if (--t.slot.open == 0) {
            active.put(t.kind, active.get(t.kind) - 1);
        }
        t.recipient.inFlight = false;
        j.inFlight--;
        Outcome o = outcome;
        if (o instanceof Outcome.TempFailure && j.dying) {
            o = new Outcome.PermFailure(o.text() + "\n" + DYING);
        }
        String text = o.text().replace('\n', '/');
        Recipient r = t.recipient;
        boolean wasOnDisk = m.stateOnDisk;
        Bounces.Failure failure = null;
        switch (o.letter()) {
            case 'K' -> {
                Log.info("delivery " + number + ": success: " + text);
                r.state = Recipient.State.DONE;
            }
            case 'D' -> {
                Log.info("delivery " + number + ": failure: " + text);
                r.state = Recipient.State.DONE;
                failure = Bounces.Failure.of(r.address, o.text());
                m.failures.add(failure);
            }
            default -> Log.info("delivery " + number + ": deferral: " + text);
        }
        if (m.deleted != null) {
            // Deleted while this delivery ran: whatever it says, nothing is left to do and nothing bounces.
            r.state = Recipient.State.DONE;
            failure = null;
            m.failures.clear();
        }
        if (r.state == Recipient.State.DONE && wasOnDisk) {
            // Before endPassIfIdle: the state files it may remove must still be there for this.
            Bounces.Failure f = failure;
            io.execute(() -> checkpoint(m, t.kind, r, f));
        }
        endPassIfIdle(m, t.kind);
        if (r.state == Recipient.State.DONE && !wasOnDisk && !m.finishing && m.deleted == null) {
            persist(m);
        }
    }

    /**
     * The first time a message has something to remember beyond its envelope:
     * its whole state, imaged now, written on the io thread. Every later
     * change is a small update there, in order after it.
     */
    private void persist(Msg m) {
        if (m.stateOnDisk) {
            return;
        }
        m.stateOnDisk = true;
        StateFiles.Image img = StateFiles.image(m);
        io.execute(() -> {
            try {
                state.write(img);
            } catch (IOException e) {
                Log.warning("unable to write the state of msg " + m.id + ": " + e.getMessage()
                    + "; a restart would deliver it again");
            }
        });
    }

    private void endPassIfIdle(Msg m, Msg.Kind k) {
        Msg.Job j = m.job(k);
        if (!j.passRunning || j.queued > 0 || j.inFlight > 0) {
            return;
        }
        j.passRunning = false;
        if (j.hasPending()) {
            long next = j.next;
            due.add(new Due(next, m, k));
            if (!m.stateOnDisk) {
                persist(m);
            } else {
                io.execute(() -> {
                    try {
                        state.setNext(k, m.id, next);
                    } catch (IOException e) {
                        Log.warning("unable to record the next attempt of msg " + m.id + ": " + e.getMessage());
                    }
                });
            }
        } else if (m.stateOnDisk) {
            io.execute(() -> {
                try {
                    state.removeChannel(k, m.id);
                } catch (IOException e) {
                    Log.warning("unable to remove the " + kindName(k) + " state of msg " + m.id + ": " + e.getMessage());
                }
            });
        }
        if (m.allDone()) {
            finish(m);
        }
    }

    /** On the io thread: the failure into bounce/ID first, then the T-to-D checkpoint. */
    private void checkpoint(Msg m, Msg.Kind k, Recipient r, Bounces.Failure failure) {
        try {
            if (failure != null) {
                state.appendBounce(m.id, failure);
            }
            state.markDone(k, m.id, r.offset);
        } catch (IOException e) {
            Log.alert("unable to checkpoint msg " + m.id + " for " + r.address + ": " + e.getMessage());
        }
    }

    // ---- finishing: bounce, cleanup (io thread) ----------------------------------------------

    /** A finished message as the io thread needs it: what to report, and whether state files exist. */
    private record Finish(long seq, Msg msg, List<Bounces.Failure> failures, boolean stateOnDisk) {
    }

    /** Counts finishes on the scheduler's thread: a drain takes only those finished before it was asked for. */
    private long finishes;

    private final java.util.concurrent.ConcurrentLinkedQueue<Finish> finishing = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private void finish(Msg m) {
        if (m.finishing) {
            return;
        }
        m.finishing = true;
        long seq = ++finishes;
        finishing.add(new Finish(seq, m, List.copyOf(m.failures), m.stateOnDisk));
        io.execute(() -> drainFinishes(seq));
    }

    /**
     * On the io thread, for every message that finished before this drain was asked for:
     * its bounce, then the queue daemon removes the message files (one
     * batch), then its state goes. In that order: a crash in between leaves
     * state without a message, which the next start cleans, never a message
     * without state, which would be delivered again.
     */
    private void drainFinishes(long upTo) {
        List<Finish> ready = new ArrayList<>();
        // Not a finish added after this drain was asked for: the io tasks of its last delivery (a
        // checkpoint, a bounce record) come before its own drain, and must run before its removal.
        for (Finish f; (f = finishing.peek()) != null && f.seq() <= upTo; ) {
            finishing.poll();
            try {
                if (!f.failures().isEmpty()) {
                    bounce(f.msg(), f.failures());
                    Msg m = f.msg();
                    post(() -> m.failures.clear()); // reported: a retried finish must not bounce again
                }
                ready.add(f);
            } catch (IOException | CorruptQueueFileException e) {
                failedToFinish(f.msg(), e);
            }
        }
        if (ready.isEmpty()) {
            return;
        }
        List<QueueId> ids = new ArrayList<>();
        for (Finish f : ready) {
            ids.add(f.msg().id);
        }
        boolean[] removed;
        try {
            removed = ioClean.batch("done", ids);
        } catch (IOException e) {
            for (Finish f : ready) {
                failedToFinish(f.msg(), e);
            }
            return;
        }
        for (int i = 0; i < ready.size(); i++) {
            Finish f = ready.get(i);
            Msg m = f.msg();
            if (!removed[i]) {
                // Its state must outlive it: without state, the message would be delivered again.
                failedToFinish(m, new IOException("the queue daemon could not remove it"));
                continue;
            }
            try {
                if (f.stateOnDisk()) {
                    state.removeAll(m.id);
                }
                Log.info("end msg " + m.id);
                post(() -> msgs.remove(m.id));
                if (m.deleted != null) {
                    m.deleted.complete(null);
                }
            } catch (IOException e) {
                failedToFinish(m, e);
            }
        }
    }

    /**
     * The message stays, to be finished later. Until now its removal was to
     * be its only checkpoint; now that it waits (the queue daemon is down, say),
     * its state goes to disk, so that a restart meanwhile does not deliver it again.
     */
    private void failedToFinish(Msg m, Exception e) {
        Log.warning("unable to finish msg " + m.id + ": " + e.getMessage() + "; will retry");
        post(() -> {
            m.finishing = false;
            persist(m);
            retryFinishLater(m);
        });
    }

    private void retryFinishLater(Msg m) {
        CompletableFuture.delayedExecutor(RETRY_TROUBLE_SECONDS, TimeUnit.SECONDS).execute(() -> post(() -> finish(m)));
    }

    /** Injects the bounce (or the double bounce, or drops a triple bounce), then removes bounce/ID. */
    private void bounce(Msg m, List<Bounces.Failure> failures) throws IOException, CorruptQueueFileException {
        Settings s = settings;
        if (m.sender.equals(Bounces.DOUBLE_BOUNCE_SENDER)) {
            Log.info("triple bounce: discarding bounce/" + m.id);
            Unlink.ifPresent(state.bounce(m.id));
            return;
        }
        boolean doubleBounce = m.sender.isEmpty();
        String to = doubleBounce ? s.doubleBounceTo() + "@" + s.doubleBounceHost() : m.sender;
        String from = doubleBounce ? Bounces.DOUBLE_BOUNCE_SENDER : "";
        Path mess = Files.exists(queue.messFile(m.id)) ? queue.messFile(m.id) : queue.todoFile(m.id);
        try (FileChannel ch = FileChannel.open(mess, StandardOpenOption.READ);
             QueueSubmission q = QueueSubmission.open(home, System.getenv("QMAILQUEUE"))) {
            long body = QueueFile.bodyLength(ch);
            InputStream original = new org.apache.commons.io.input.BoundedInputStream.Builder()
                .setInputStream(Channels.newInputStream(ch.position(0))).setMaxCount(body).get();
            Bounces.write(q.message(), s.bounceHost(), s.bounceFrom(), to, doubleBounce, m.sender,
                Instant.ofEpochSecond(m.birth), failures, original, body);
            q.envelope(new EnvelopeWriter().sender(new Address(from)).recipient(new Address(to)).end().toByteArray());
            InjectResult r = q.commit();
            if (!r.ok()) {
                throw new IOException("bounce not queued: " + r.text());
            }
            Log.info("bounce msg " + m.id + " qp " + r.text());
        } catch (InjectException e) {
            throw new IOException("bounce not queued: " + e.result().text());
        }
        Unlink.ifPresent(state.bounce(m.id));
    }

    // ---- signals and listings ----------------------------------------------------------------

    /** SIGALRM: every waiting job is due now. */
    void retryAllNow() {
        post(() -> {
            for (Msg m : msgs.values()) {
                dueNow(m);
            }
        });
    }

    private void dueNow(Msg m) {
        long now = now();
        for (Msg.Kind k : Msg.Kind.values()) {
            Msg.Job j = m.job(k);
            if (j.hasPending() && !j.passRunning) {
                due.add(new Due(now, m, k));
            }
        }
    }

    /** SIGHUP: every control file anew, and hold/ reread: a held message waits, a released one is due now. */
    CompletableFuture<Void> reload(Settings s) {
        settings = s;
        CompletableFuture<Void> applied = new CompletableFuture<>();
        io.execute(() -> {
            Set<QueueId> now;
            try {
                now = state.holds();
            } catch (IOException e) {
                Log.warning("unable to read " + home.queue().resolve("hold") + ": " + e.getMessage());
                applied.complete(null);
                return;
            }
            held = now;
            post(() -> {
                hold(now);
                applied.complete(null);
            });
        });
        return applied;
    }

    private void hold(Set<QueueId> ids) {
        for (Msg m : msgs.values()) {
            boolean was = m.held;
            m.held = ids.contains(m.id);
            if (was && !m.held) {
                dueNow(m);
            } else if (!was && m.held) {
                withdraw(m);
            }
        }
    }

    /**
     * A held or deleted message's deliveries that wait for a slot are taken
     * back; those already running finish. Its passes end when they have.
     */
    private void withdraw(Msg m) {
        for (ArrayDeque<Ticket> w : waiting.values()) {
            w.removeIf(t -> {
                if (t.msg != m) {
                    return false;
                }
                m.job(t.kind).queued--;
                return true;
            });
        }
        for (Msg.Kind k : Msg.Kind.values()) {
            endPassIfIdle(m, k);
        }
    }

    // ---- administration (the control socket) -------------------------------------------------

    /** What an administrator may do to a message. */
    enum Admin { HOLD, RELEASE, DELETE, REQUEUE }

    /** How long a delete waits for running deliveries before it answers. */
    static final long DELETE_WAIT_SECONDS = 20;

    /**
     * Applies {@code op} to message {@code id}, or to every message when
     * {@code id} is null; only to messages submitted by {@code owner} unless
     * it is negative. Answers with one line: {@code ok ...} or {@code error ...}.
     * A hold or release is on disk (hold/ID, directory synced) before the
     * answer; a delete answers once the message's files are gone, or after
     * {@link #DELETE_WAIT_SECONDS} when deliveries still run (they finish,
     * nothing more starts, nothing bounces).
     */
    CompletableFuture<String> admin(Admin op, QueueId id, long owner) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        post(() -> {
            List<Msg> targets = new ArrayList<>();
            for (Msg m : id == null ? msgs.values() : java.util.Collections.singletonList(msgs.get(id))) {
                if (m != null && (owner < 0 || m.uid == owner)) {
                    targets.add(m);
                }
            }
            if (id != null && targets.isEmpty()) {
                answer.complete("error no message " + id + (owner < 0 ? "" : " of yours") + " in the queue\n");
                return;
            }
            String what = targets.size() == 1 ? "1 message" : targets.size() + " messages";
            switch (op) {
                case HOLD, RELEASE -> {
                    boolean on = op == Admin.HOLD;
                    Set<QueueId> now = new HashSet<>(held);
                    List<QueueId> ids = new ArrayList<>();
                    for (Msg m : targets) {
                        if (on) {
                            now.add(m.id);
                        } else {
                            now.remove(m.id);
                        }
                        ids.add(m.id);
                        Log.info((on ? "hold" : "release") + " msg " + m.id);
                    }
                    held = now;
                    hold(now);
                    io.execute(() -> answer.complete(writeHolds(ids, on, (on ? "held " : "released ") + what)));
                }
                case REQUEUE -> {
                    for (Msg m : targets) {
                        dueNow(m);
                    }
                    answer.complete("ok requeued " + what + "\n");
                }
                case DELETE -> {
                    List<CompletableFuture<Void>> gone = new ArrayList<>();
                    for (Msg m : targets) {
                        gone.add(delete(m));
                    }
                    CompletableFuture.allOf(gone.toArray(new CompletableFuture<?>[0]))
                        .orTimeout(DELETE_WAIT_SECONDS, TimeUnit.SECONDS)
                        .whenComplete((v, late) -> answer.complete(late == null ? "ok deleted " + what + "\n"
                            : "ok deleting " + what + ": deliveries still running; nothing more starts, nothing bounces\n"));
                }
                default -> throw new IllegalStateException(op.toString());
            }
        });
        return answer;
    }

    /** On the io thread: hold/ID for each message created or removed. */
    private String writeHolds(List<QueueId> ids, boolean on, String done) {
        try {
            for (QueueId i : ids) {
                state.setHold(i, on);
            }
            return "ok " + done + "\n";
        } catch (IOException e) {
            Log.warning("unable to record a hold: " + e.getMessage());
            return "error unable to record it in " + home.queue().resolve("hold") + ": " + e.getMessage() + "\n";
        }
    }

    /**
     * An administrator's delete: every recipient not being delivered right
     * now is done, without a bounce; those being delivered end as they end,
     * and the message goes as soon as they have.
     */
    private CompletableFuture<Void> delete(Msg m) {
        if (m.deleted != null) {
            return m.deleted;
        }
        m.deleted = new CompletableFuture<>();
        m.held = true;
        m.failures.clear();
        Log.info("delete msg " + m.id);
        for (Msg.Kind k : Msg.Kind.values()) {
            for (Recipient r : m.job(k).recipients) {
                if (!r.inFlight) {
                    r.state = Recipient.State.DONE;
                }
            }
        }
        withdraw(m);
        if (m.allDone()) {
            finish(m);
        }
        return m.deleted;
    }

    /** What the listing tools see: computed on the scheduler's thread, waited for by the control socket's. */
    CompletableFuture<List<QueueListing.Message>> listing() {
        CompletableFuture<List<QueueListing.Message>> f = new CompletableFuture<>();
        post(() -> {
            List<QueueListing.Message> out = new ArrayList<>();
            for (Msg m : msgs.values()) {
                List<QueueListing.Recipient> rs = new ArrayList<>();
                for (Msg.Kind k : Msg.Kind.values()) {
                    for (Recipient r : m.job(k).recipients) {
                        rs.add(new QueueListing.Recipient(k == Msg.Kind.LOCAL ? Routing.Channel.LOCAL : Routing.Channel.REMOTE,
                            new Address(r.address), r.state == Recipient.State.DONE));
                    }
                }
                out.add(new QueueListing.Message(m.id, Queue.Stage.MESS, Instant.ofEpochSecond(m.birth), m.bytes, m.uid,
                    new Address(m.sender), rs, null));
            }
            out.sort((a, b) -> a.id().compareTo(b.id()));
            f.complete(out);
        });
        return f;
    }

    /**
     * Messages in todo/ the scheduler does not know yet (being taken, or
     * committed while a trigger was lost): what qmail-qstat calls "not yet
     * preprocessed". Any found start a scan, so a lost trigger costs no wait.
     */
    int untaken(List<QueueListing.Message> known) {
        Set<QueueId> ids = new HashSet<>();
        for (QueueListing.Message m : known) {
            ids.add(m.id());
        }
        int n = 0;
        try {
            for (QueueId id : Queue.idsIn(queue.todo())) {
                if (!ids.contains(id)) {
                    n++;
                }
            }
        } catch (IOException e) {
            Log.warning("unable to read " + queue.todo() + ": " + e.getMessage());
        }
        if (n > 0) {
            scanTodo();
        }
        return n;
    }

    /** The status line qmail-send logs: deliveries running against their limits. */
    String status() {
        Settings s = settings;
        return "status: local " + active.get(Msg.Kind.LOCAL) + "/" + s.concurrencyLocal() + " remote "
            + active.get(Msg.Kind.REMOTE) + "/" + s.concurrencyRemote();
    }

    /** SIGTERM: stop starting deliveries, wait a while for those running, and return. */
    void drain(long seconds) {
        CompletableFuture<Void> idle = new CompletableFuture<>();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        Thread waiter = new Thread(() -> {
            while (System.nanoTime() < deadline) {
                CompletableFuture<Boolean> q = new CompletableFuture<>();
                post(() -> q.complete(running.isEmpty()));
                try {
                    if (q.get(1, TimeUnit.SECONDS)) {
                        break;
                    }
                    Thread.sleep(100);
                } catch (Exception e) {
                    break;
                }
            }
            idle.complete(null);
        });
        post(() -> draining = true);
        waiter.start();
        try {
            idle.get(seconds + 2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Whatever still runs is retried at the next start: nothing was checkpointed for it.
        }
        io.shutdown();
        try {
            io.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop();
    }
}
