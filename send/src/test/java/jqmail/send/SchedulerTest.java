package jqmail.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import jqmail.common.Address;
import jqmail.common.EnvelopeWriter;
import jqmail.common.Home;
import jqmail.common.Identities;
import jqmail.common.InjectClient;
import jqmail.common.InjectResult;
import jqmail.common.Outcome;
import jqmail.common.QueueId;
import jqmail.queue.Queue;
import jqmail.queue.QueueFile;
import jqmail.queue.daemon.QueueDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler with a clock the test moves: qmail's retry schedule, the
 * queue lifetime, bounces, double bounces and triple bounces, over the real
 * queue daemon and real directories; only the delivery channel is scripted.
 */
class SchedulerTest {
    /** A clock the test sets. */
    static final class ManualClock extends Clock {
        volatile Instant now = Instant.ofEpochSecond(1_800_000_000L);

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** A channel that answers from a script per recipient (K when the script is empty) and records attempts. */
    static final class ScriptedChannel implements Channel {
        record Attempt(long at, String recipient, String sender) {
        }

        final Map<String, Deque<Outcome>> script = new ConcurrentHashMap<>();
        final List<Attempt> attempts = new CopyOnWriteArrayList<>();
        Channel.Listener listener;
        ManualClock clock;
        /** When set, reports wait for it: the test acts while a delivery is in flight. */
        volatile java.util.concurrent.CountDownLatch gate;

        void will(String recipient, Outcome... outcomes) {
            script.computeIfAbsent(recipient, k -> new ArrayDeque<>()).addAll(List.of(outcomes));
        }

        @Override
        public boolean start(long ticket, String messageId, String sender, String recipient) {
            attempts.add(new Attempt(clock.instant().getEpochSecond(), recipient, sender));
            Deque<Outcome> d = script.get(recipient);
            Outcome o = d == null || d.isEmpty() ? new Outcome.Delivered("did 1+0+0/") : d.poll();
            java.util.concurrent.CountDownLatch g = gate;
            new Thread(() -> {
                try {
                    if (g != null) {
                        g.await();
                    }
                } catch (InterruptedException e) {
                    return;
                }
                listener.done(ticket, o);
            }).start();
            return true;
        }

        @Override
        public void close() {
        }
    }

    @TempDir
    Path dir;
    Home home;
    Queue queue;
    QueueDaemon daemon;
    ManualClock clock = new ManualClock();
    ScriptedChannel channel = new ScriptedChannel();
    Scheduler scheduler;
    Thread loop;

    @BeforeEach
    void start() throws Exception {
        home = new Home(dir);
        for (String d : new String[] {"queue/tmp", "queue/todo", "queue/maildrop", "queue/lock", "queue/bounce",
            "queue/hold", "run/queue", "users", "control"}) {
            Files.createDirectories(dir.resolve(d));
        }
        for (String d : new String[] {"mess", "info", "local", "remote"}) {
            for (int i = 0; i < QueueId.SPLIT; i++) {
                Files.createDirectories(dir.resolve("queue/" + d + "/" + i));
            }
        }
        Files.writeString(dir.resolve("control/queueminfree"), "0\n");
        Files.writeString(dir.resolve("control/me"), "mx.example\n");
        Files.writeString(dir.resolve("control/queuelifetime"), "1000\n");
        int uid = (Integer) Files.getAttribute(dir, "unix:uid");
        Files.writeString(Identities.file(home), Identities.userMode(new Identities.Account("me", uid, 0)).format());
        queue = new Queue(home.queue());
        daemon = QueueDaemon.start(home);
        scheduler = new Scheduler(home, Settings.read(home.controlFiles()), clock);
        channel.listener = scheduler.listener();
        channel.clock = clock;
        scheduler.channel(Msg.Kind.LOCAL, channel);
        loop = new Thread(scheduler::run, "scheduler");
        loop.start();
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.stop();
        loop.join(5000);
        daemon.shutdown();
    }

    QueueId inject(String sender, String... rcpts) throws IOException {
        try (InjectClient c = InjectClient.connect(home.injectSocket())) {
            c.message().write("Subject: scheduled\n\nbody\n".getBytes(StandardCharsets.US_ASCII));
            EnvelopeWriter w = new EnvelopeWriter().sender(new Address(sender));
            for (String r : rcpts) {
                w.recipient(new Address(r));
            }
            c.envelope(w.end().toByteArray());
            InjectResult r = c.commit();
            assertEquals(0, r.code(), r.text());
            QueueId id = QueueId.parse(r.text().substring(3));
            scheduler.newMessage(id);
            return id;
        }
    }

    void advanceTo(long epoch) {
        clock.now = Instant.ofEpochSecond(epoch);
        scheduler.post(() -> { });
    }

    void awaitAttempts(int n) throws InterruptedException {
        for (int i = 0; i < 400 && channel.attempts.size() < n; i++) {
            Thread.sleep(10);
        }
        assertEquals(n, channel.attempts.size(), "attempts so far: " + channel.attempts);
    }

    void awaitGone(QueueId id) throws Exception {
        Path info = new StateFiles(home.queue()).info(id);
        for (int i = 0; i < 400 && (Files.exists(queue.messFile(id)) || Files.exists(queue.todoFile(id))
            || Files.exists(info)); i++) {
            Thread.sleep(10);
        }
        assertFalse(Files.exists(queue.messFile(id)), "message removed");
        assertFalse(Files.exists(new StateFiles(home.queue()).info(id)), "state removed");
    }

    /** Messages in todo/ other than the given ones: the bounces the scheduler injected. */
    List<QueueFile.Envelope> bounces(QueueId... except) throws Exception {
        List<QueueFile.Envelope> out = new ArrayList<>();
        for (Queue.Entry e : queue.walk()) {
            if (!List.of(except).contains(e.id())) {
                out.add(QueueFile.readEnvelope(e.file(), true));
            }
        }
        return out;
    }

    String body(QueueId... except) throws Exception {
        for (Queue.Entry e : queue.walk()) {
            if (!List.of(except).contains(e.id())) {
                byte[] all = Files.readAllBytes(e.file());
                return new String(all, 0, (int) QueueFile.readEnvelope(e.file(), true).bodyLength(), StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    @Test
    void temporaryFailuresAreRetriedOnQmailsSchedule() throws Exception {
        channel.will("alice@mx.example", new Outcome.TempFailure("busy (#4.2.1)"), new Outcome.TempFailure("busy (#4.2.1)"));
        QueueId id = inject("s@far.example", "alice@mx.example");
        awaitAttempts(1);
        long birth = channel.attempts.get(0).at();
        Path local = new StateFiles(home.queue()).channel(Msg.Kind.LOCAL, id);
        awaitMtime(local, birth + 100);
        advanceTo(birth + 99);
        advanceTo(birth + 100);
        awaitAttempts(2);
        awaitMtime(local, birth + 400);
        advanceTo(birth + 400);
        awaitAttempts(3);
        assertEquals(List.of(birth, birth + 100, birth + 400),
            channel.attempts.stream().map(ScriptedChannel.Attempt::at).toList(), "(0+10)^2, (10+10)^2 after birth");
        awaitGone(id);
        assertEquals(List.of(), bounces(id), "delivered at last: no bounce");
    }

    void awaitMtime(Path f, long epoch) throws Exception {
        // The io thread writes the state file after the deferral: it may not exist yet.
        for (int i = 0; i < 400 && (!Files.exists(f) || Files.getLastModifiedTime(f).toMillis() / 1000 != epoch); i++) {
            Thread.sleep(10);
        }
        assertEquals(epoch, Files.getLastModifiedTime(f).toMillis() / 1000, "next attempt kept in the file's mtime");
    }

    /** Two round trips through the scheduler's loop: whatever it was going to start has started. */
    void settle() throws Exception {
        scheduler.listing().get(5, java.util.concurrent.TimeUnit.SECONDS);
        scheduler.listing().get(5, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void aTornStateFileIsDiscardedAndTheMessageDeliveredAtTheNextStart() throws Exception {
        scheduler.stop();
        loop.join(5000);
        QueueId id = inject("s@far.example", "alice@mx.example");
        Path info = new StateFiles(home.queue()).info(id);
        Files.write(info, new byte[] {'u'});   // what a kill in the middle of writing info/ID could leave
        restart();
        awaitAttempts(1);
        assertEquals("alice@mx.example", channel.attempts.get(0).recipient());
        awaitGone(id);
    }

    /** A new scheduler on the same home, as after a restart. */
    void restart() throws Exception {
        scheduler.stop();
        loop.join(5000);
        scheduler = new Scheduler(home, Settings.read(home.controlFiles()), clock);
        channel.listener = scheduler.listener();
        scheduler.channel(Msg.Kind.LOCAL, channel);
        loop = new Thread(scheduler::run, "scheduler");
        loop.start();
    }

    @Test
    void aMessageTheQueueDaemonCouldNotRemoveKeepsItsStateAndIsNotDeliveredAgain() throws Exception {
        channel.gate = new java.util.concurrent.CountDownLatch(1);
        QueueId id = inject("s@far.example", "alice@mx.example");
        awaitAttempts(1);
        Path mess = queue.messFile(id);
        for (int i = 0; i < 400 && !Files.exists(mess); i++) {
            Thread.sleep(10);
        }
        Path aside = dir.resolve("aside");
        Files.move(mess, aside);
        Files.createDirectories(mess.resolve("in-the-way"));   // rmdir-proof: the removal fails
        channel.gate.countDown();
        Path info = new StateFiles(home.queue()).info(id);
        for (int i = 0; i < 400 && !Files.exists(info); i++) {
            Thread.sleep(10);
        }
        assertTrue(Files.exists(info), "the scheduler kept the message's state when its removal failed");

        scheduler.stop();
        loop.join(5000);
        Files.delete(mess.resolve("in-the-way"));
        Files.delete(mess);
        Files.move(aside, mess);
        restart();
        awaitGone(id);
        assertEquals(1, channel.attempts.size(), "delivered once: " + channel.attempts);
    }

    @Test
    void aHeldMessageWaitsUntilReleased() throws Exception {
        channel.will("alice@mx.example", new Outcome.TempFailure("busy (#4.2.1)"));
        QueueId id = inject("s@far.example", "alice@mx.example");
        awaitAttempts(1);
        long birth = channel.attempts.get(0).at();
        Path hold = new StateFiles(home.queue()).hold(id);
        Files.createFile(hold);
        scheduler.reload(Settings.read(home.controlFiles())).get(5, java.util.concurrent.TimeUnit.SECONDS);
        advanceTo(birth + 500);
        scheduler.retryAllNow();
        settle();
        assertEquals(1, channel.attempts.size(), "held: no attempt, not even on SIGALRM");

        Files.delete(hold);
        scheduler.reload(Settings.read(home.controlFiles())).get(5, java.util.concurrent.TimeUnit.SECONDS);
        awaitAttempts(2);
        assertEquals(birth + 500, channel.attempts.get(1).at(), "released: tried at once");
        awaitGone(id);
    }

    @Test
    void permanentFailuresMakeOneBounceForTheMessage() throws Exception {
        channel.will("ghost1@mx.example", new Outcome.PermFailure("Sorry, no mailbox here by that name. (#5.1.1)"));
        channel.will("ghost2@mx.example", new Outcome.PermFailure("Sorry, no mailbox here by that name. (#5.1.1)"));
        QueueId id = inject("s@far.example", "ghost1@mx.example", "alice@mx.example", "ghost2@mx.example");
        awaitAttempts(3);
        awaitGone(id);
        List<QueueFile.Envelope> b = bounces(id);
        assertEquals(1, b.size(), "one bounce for the message");
        assertEquals(new Address(""), b.get(0).sender());
        assertEquals(List.of(new Address("s@far.example")), b.get(0).recipients());
        String text = body(id);
        assertTrue(text.contains("Content-Type: multipart/report; report-type=delivery-status"), text);
        assertTrue(text.contains("Hi. This is the mail system at mx.example.\n"), text);
        assertTrue(text.contains("<ghost1@mx.example>:\nSorry, no mailbox here by that name. (#5.1.1)\n"), text);
        assertTrue(text.contains("<ghost2@mx.example>:\n"), text);
        assertFalse(text.contains("<alice@mx.example>:"), "the delivered recipient is not in the bounce");
        assertTrue(text.contains("Final-Recipient: rfc822; ghost1@mx.example\nAction: failed\nStatus: 5.1.1\n"), text);
        assertTrue(text.contains("Content-Type: message/rfc822\n\nReturn-Path: <s@far.example>\nReceived: (qmail"), text);
        assertTrue(text.contains("Subject: scheduled\n\nbody\n"), "the original is attached");
    }

    @Test
    void pastTheLifetimeATemporaryFailureBecomesPermanent() throws Exception {
        channel.will("alice@mx.example", new Outcome.TempFailure("busy (#4.2.1)"), new Outcome.TempFailure("busy (#4.2.1)"));
        QueueId id = inject("s@far.example", "alice@mx.example");
        awaitAttempts(1);
        long birth = channel.attempts.get(0).at();
        advanceTo(birth + 1001);
        awaitAttempts(2);
        awaitGone(id);
        String text = body(id);
        assertTrue(text.contains("busy (#4.2.1)\n" + Scheduler.DYING), text);
        assertTrue(text.contains("Status: 5.2.1"), "the last status, made permanent: " + text);
    }

    @Test
    void aBounceThatBouncesGoesToThePostmasterAndATripleBounceIsDropped() throws Exception {
        channel.will("gone@mx.example", new Outcome.PermFailure("no such user (#5.1.1)"));
        QueueId bounce = inject("", "gone@mx.example");
        awaitGone(bounce);
        List<QueueFile.Envelope> b = bounces(bounce);
        assertEquals(1, b.size());
        assertEquals(new Address("#@[]"), b.get(0).sender(), "double bounce sender");
        assertEquals(List.of(new Address("postmaster@mx.example")), b.get(0).recipients());
        assertTrue(body(bounce).contains("I tried to deliver a bounce message to this address, but the bounce bounced!"));
        for (Queue.Entry e : queue.walk()) {
            Files.delete(e.file());
        }
        channel.will("postmaster@mx.example", new Outcome.PermFailure("postmaster is gone too (#5.1.1)"));
        QueueId doubleBounce = inject("#@[]", "postmaster@mx.example");
        awaitGone(doubleBounce);
        assertEquals(List.of(), bounces(doubleBounce), "a failed double bounce is dropped");
    }

    @Test
    void vERPSendersAreExpandedPerRecipient() throws Exception {
        inject("list-owner-@lists.example-@[]", "alice@mx.example");
        awaitAttempts(1);
        assertEquals("list-owner-alice=mx.example@lists.example", channel.attempts.get(0).sender());
    }
}
