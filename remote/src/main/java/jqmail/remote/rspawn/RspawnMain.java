package jqmail.remote.rspawn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import jnr.unixsocket.UnixSocketChannel;
import jqmail.common.Home;
import jqmail.common.Identities;
import jqmail.common.Log;
import jqmail.common.Signals;
import jqmail.queue.Queue;
import jqmail.queue.daemon.SocketServer;
import jqmail.remote.route.DnsResolver;
import jqmail.remote.route.DownedHosts;
import jqmail.remote.route.Router;

/** {@code qmail-rspawn}: see this package's documentation. */
public final class RspawnMain {
    private RspawnMain() {
    }

    public static void main(String[] args) throws Exception {
        Home home = Home.ofDaemonArguments("qmail-rspawn", args);
        Signals.ignoreFatalDefaults();
        Identities ids;
        Settings settings;
        Router router;
        try {
            ids = Identities.readAs(home, Identities.Role.REMOTE);
            settings = Settings.read(home.controlFiles());
            router = new Router(home.controlFiles(), new DnsResolver(home.controlFiles()));
        } catch (IOException e) {
            Log.alert("qmail-rspawn: cannot start: " + e.getMessage());
            System.exit(111);
            return;
        }
        Path run = home.run().resolve("rspawn");
        Files.createDirectories(run);
        Path tcpto = run.resolve("tcpto");
        DownedHosts downed = DownedHosts.load(tcpto, Clock.systemUTC());
        Connections connections = new Connections();
        Backoff backoff = new Backoff(System::currentTimeMillis);
        Queue queue = new Queue(home.queue());
        ExecutorService jobs = Executors.newCachedThreadPool(r -> daemon(r, "remote"));
        Rspawn rspawn = new Rspawn(ids, jobs, new RemoteDelivery(queue, router, downed, connections, backoff, settings),
            settings);
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "timers"));
        timers.scheduleWithFixedDelay(connections::expire, 1, 1, TimeUnit.SECONDS);
        timers.scheduleWithFixedDelay(() -> save(downed, tcpto), 10, 10, TimeUnit.SECONDS);
        ExecutorService schedulers = Executors.newCachedThreadPool(r -> daemon(r, "scheduler"));
        SocketServer server = SocketServer.bind(run.resolve("rspawn.sock"), "rw-rw-rw-", schedulers, rspawn::serve);
        Signals.on("HUP", () -> {
            try {
                Settings s = Settings.read(home.controlFiles());
                Router r = new Router(home.controlFiles(), new DnsResolver(home.controlFiles()));
                rspawn.reload(new RemoteDelivery(queue, r, downed, connections, backoff, s), s);
                if (Files.deleteIfExists(run.resolve("tcpok"))) {
                    downed.reset();   // jqmail tcpok asked: every host is up again
                    save(downed, tcpto);
                }
                Log.info("status: qmail-rspawn reread its control files");
            } catch (IOException e) {
                Log.warning("qmail-rspawn: keeping the old settings: " + e.getMessage());
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            connections.closeAll();
            save(downed, tcpto);
        }, "shutdown"));
        Log.info("status: qmail-rspawn ready");
        server.run();
    }

    private static void save(DownedHosts downed, Path f) {
        try {
            downed.save(f);
        } catch (IOException e) {
            Log.warning("qmail-rspawn: unable to save " + f + ": " + e.getMessage());
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    static void closeQuietly(UnixSocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // Already gone.
        }
    }
}
