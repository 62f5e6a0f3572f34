package jqmail.send;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import jqmail.common.Home;
import jqmail.common.Identities;
import jqmail.common.Log;
import jqmail.common.QueueId;
import jqmail.common.Signals;
import jqmail.queue.daemon.SocketServer;

/** {@code qmail-send}: see this package's documentation. */
public final class QmailSendMain {
    /** qmail-send rescans todo/ this often even without the trigger; qmail's 25 minutes is long. */
    static final long RESCAN_MILLIS = 60_000;

    private QmailSendMain() {
    }

    public static void main(String[] args) throws Exception {
        Home home = Home.ofDaemonArguments("qmail-send", args);
        Signals.ignoreFatalDefaults();
        Identities ids;
        Settings settings;
        try {
            ids = Identities.readAs(home, Identities.Role.SEND);
            settings = Settings.read(home.controlFiles());
        } catch (IOException e) {
            Log.alert("qmail-send: cannot start: " + e.getMessage());
            System.exit(111);
            return;
        }
        Scheduler s = new Scheduler(home, settings, Clock.systemUTC());
        s.channel(Msg.Kind.LOCAL, new SpawnChannel("qmail-lspawn", home.run().resolve("lspawn/lspawn.sock"), s.listener()));
        s.channel(Msg.Kind.REMOTE, new SpawnChannel("qmail-rspawn", home.run().resolve("rspawn/rspawn.sock"), s.listener()));
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "control");
            t.setDaemon(true);
            return t;
        });
        Files.createDirectories(home.run().resolve("send"));
        SocketServer control = SocketServer.bind(home.run().resolve("send/control.sock"), "rw-rw-rw-", pool,
            new ControlService(s, ids));
        daemon(control, "control-accept");
        // Open the FIFO before the start-up scan of todo/ (in s.run()): a commit the scan misses finds a reader.
        RandomAccessFile fifo = openTrigger(home.queue().resolve("lock/trigger"));
        if (fifo != null) {
            daemon(() -> trigger(fifo, s), "trigger");
        }
        daemon(() -> rescan(s), "rescan");
        Signals.on("ALRM", s::retryAllNow);
        Signals.on("HUP", () -> {
            try {
                s.reload(Settings.read(home.controlFiles()));
                Log.info("status: control files reread");
            } catch (IOException e) {
                Log.warning("keeping the old settings: " + e.getMessage());
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            control.close();
            s.drain(10);
            Log.info("status: exiting");
        }, "shutdown"));
        Log.info("status: qmail-send ready");
        s.run();
    }

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    /**
     * Reads the trigger FIFO, opened read-write so it never blocks and never
     * sees end of file: each line is a new message's id; "*" means ids were
     * dropped, so todo/ is scanned.
     */
    private static RandomAccessFile openTrigger(Path fifo) {
        try {
            return new RandomAccessFile(fifo.toFile(), "rw");
        } catch (IOException e) {
            Log.warning("trigger unusable (" + e.getMessage() + "); scanning todo/ every minute instead");
            return null;
        }
    }

    private static void trigger(RandomAccessFile fifo, Scheduler s) {
        try (RandomAccessFile f = fifo) {
            java.io.InputStream in = new java.io.BufferedInputStream(new java.io.FileInputStream(f.getFD()), 4096);
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) >= 0; ) {
                if (c != '\n') {
                    if (line.length() < 32) {
                        line.append((char) c);
                    }
                    continue;
                }
                QueueId id = QueueId.parse(line.toString());
                if (id != null) {
                    s.newMessage(id);
                } else {
                    s.scanTodo();
                }
                line.setLength(0);
            }
        } catch (IOException e) {
            Log.warning("trigger unusable (" + e.getMessage() + "); scanning todo/ every minute instead");
        }
    }

    /** Every minute after the start-up rebuild (which scans todo/ itself). */
    private static void rescan(Scheduler s) {
        for (;;) {
            try {
                Thread.sleep(RESCAN_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            s.scanTodo();
        }
    }

}
