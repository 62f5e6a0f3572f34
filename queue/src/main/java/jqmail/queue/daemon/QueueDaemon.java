package jqmail.queue.daemon;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.unixsocket.Credentials;
import jnr.unixsocket.UnixSocketChannel;
import jnr.unixsocket.UnixSocketOptions;
import jqmail.common.Address;
import jqmail.common.Home;
import jqmail.common.Identities;
import jqmail.common.InjectWire;
import jqmail.common.Log;
import jqmail.common.QueueExit;
import jqmail.queue.Queue;

/**
 * The queue daemon: the only writer of new messages. Owns the injection
 * socket, the cleaning socket, the maildrop pickup and the trigger, and
 * hands each injection to an {@link InjectSession} on its own thread.
 */
public final class QueueDaemon {
    private final Home home;
    private final Queue queue;
    private final Identities identities;
    private final Admission admission = new Admission();
    private final ExecutorService pool;
    private volatile Settings settings;
    private IdAllocator ids;
    private Trigger trigger;
    private MaildropPickup pickup;
    private FilePool kept;
    private SocketServer inject;
    private SocketServer clean;
    private FileLock lock;

    private QueueDaemon(Home home, Identities identities, Settings settings) {
        this.home = home;
        this.queue = new Queue(home.queue());
        this.identities = identities;
        this.settings = settings;
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "session");
            t.setDaemon(true);
            return t;
        });
    }

    /** A startup failure: what went wrong, said once. */
    public static final class StartException extends Exception {
        public StartException(String message) {
            super(message);
        }
    }

    /** Starts every part; returns once both sockets accept. */
    public static QueueDaemon start(Home home) throws StartException {
        QueueDaemon d;
        try {
            d = new QueueDaemon(home, Identities.readAs(home, Identities.Role.QUEUE), Settings.read(home.controlFiles()));
        } catch (IOException e) {
            throw new StartException("cannot start: " + e.getMessage());
        }
        d.startParts();
        return d;
    }

    private void startParts() throws StartException {
        try {
            lock = lockRunDirectory();
            for (Path p : new Path[] {queue.tmp(), queue.todo(), queue.mess(), queue.maildrop()}) {
                if (!Files.isDirectory(p)) {
                    throw new StartException("cannot start: " + p + " is missing (jqmail setup makes it)");
                }
            }
            POSIX posix = POSIXFactory.getNativePOSIX();
            kept = new FilePool(posix, queue.tmp());
            queue.reuseFiles(kept);
            int cleaned = queue.recover();
            if (cleaned > 0) {
                Log.info("status: removed " + cleaned + " unfinished injection(s) from " + queue.tmp());
            }
            ids = new IdAllocator(queue.highestId());
            trigger = new Trigger(posix, queue.trigger());
            pickup = new MaildropPickup(this, posix);
            // The cleaning socket first: the supervisor's probe of the injection socket then covers both.
            clean = SocketServer.bind(home.cleanSocket(), "rw-rw----", pool, new CleanService(this));
            inject = SocketServer.bind(home.injectSocket(), "rw-rw-rw-", pool, this::injection);
        } catch (IOException e) {
            throw new StartException("cannot start: " + e.getMessage());
        }
        thread(this::syncKeptFiles, "file-pool");
        thread(trigger, "trigger");
        thread(pickup, "maildrop");
        thread(inject, "inject-accept");
        thread(clean, "clean-accept");
        if (!identities.isSystem()) {
            Log.info("status: user-mode home " + home.root() + ": every program runs as uid "
                + identities.uid(Identities.Role.QUEUE));
        }
        Log.info("status: queue daemon ready on " + home.injectSocket());
    }

    /** Two daemons on one queue would hand out the same ids: the second refuses to start. */
    private FileLock lockRunDirectory() throws IOException, StartException {
        Path p = home.run().resolve("queue/lock");
        FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            ch.close();
            throw new StartException("cannot start: another queue daemon holds " + p);
        }
        return l;
    }

    private static void thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private void injection(UnixSocketChannel ch, Credentials peer) {
        int uid = peer.getUid();
        boolean own = uid == 0 || identities.isOwn(uid);
        Settings s = settings;
        String refusal = admission.enter(uid, own, s);
        try (ch) {
            if (refusal != null) {
                Log.warning("injection from uid " + Integer.toUnsignedString(uid) + " refused: " + refusal);
                ch.write(java.nio.ByteBuffer.wrap(InjectWire.reply(QueueExit.DAEMON_REFUSED.code(), refusal)));
                return;
            }
            ch.setOption(UnixSocketOptions.SO_RCVTIMEO, s.idleSeconds() * 1000);
            new InjectSession(this, ch, new InjectSession.Peer(uid, peer.getPid())).run();
        } catch (IOException | RuntimeException e) {
            Log.warning("injection from uid " + Integer.toUnsignedString(uid) + " failed: " + e);
        } finally {
            if (refusal == null) {
                admission.leave(uid);
            }
        }
    }

    /** After a commit: the log line (qmail-log style) and the trigger, in that order. */
    void committed(Queue.Incoming in, Address sender, long recipients, String origin) {
        Log.info("queued msg " + in.id() + ": bytes " + in.bodyLength() + " from <" + sender.printable() + "> "
            + origin + " rcpts " + recipients);
        trigger.pull(in.id());
    }

    /** SIGHUP: reread the control files. */
    public void reload() {
        try {
            settings = Settings.read(home.controlFiles());
            Log.info("status: control files reread");
        } catch (IOException e) {
            Log.warning("keeping the old settings: " + e.getMessage());
        }
    }

    /** Once a second, the files kept since are made ready (FilePool). */
    private void syncKeptFiles() {
        for (;;) {
            try {
                Thread.sleep(FilePool.SYNC_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            kept.sync();
        }
    }

    /** SIGALRM: look at the maildrop now. */
    public void pokeMaildrop() {
        pickup.poke();
    }

    /** SIGTERM: stop accepting, give running injections a few seconds to commit, then return. */
    public void shutdown() {
        inject.close();
        clean.close();
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                Log.warning("exiting with " + admission.total() + " injection(s) unfinished; nothing of them was acknowledged");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            lock.channel().close();
        } catch (IOException e) {
            // The lock goes with the process anyway.
        }
        Log.info("status: exiting");
    }

    Queue queue() {
        return queue;
    }

    IdAllocator ids() {
        return ids;
    }

    Identities identities() {
        return identities;
    }

    Settings settings() {
        return settings;
    }
}
