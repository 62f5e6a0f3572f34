package jqmail.local.lspawn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.unixsocket.UnixSocketChannel;
import jqmail.common.AuthClient;
import jqmail.common.Home;
import jqmail.common.Identities;
import jqmail.common.Log;
import jqmail.common.Signals;
import jqmail.queue.daemon.SocketServer;

/** {@code qmail-lspawn}: see this package's documentation. */
public final class SpawnerMain {
    private SpawnerMain() {
    }

    public static void main(String[] args) throws Exception {
        Home home = Home.ofDaemonArguments("qmail-lspawn", args);
        Signals.ignoreFatalDefaults();
        Identities ids;
        try {
            ids = Identities.readAs(home, null);
        } catch (IOException e) {
            Log.alert("qmail-lspawn: cannot start: " + e.getMessage());
            System.exit(111);
            return;
        }
        POSIX posix = POSIXFactory.getNativePOSIX();
        Path dist = Path.of(System.getProperty("jqmail.dist", "/usr/lib/jqmail"));
        Workers workers = new Workers(home, ids, dist, posix);
        Lspawn lspawn = new Lspawn(home, ids, posix, workers);
        Path run = home.run().resolve("lspawn");
        Files.createDirectories(run);
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "scheduler");
            t.setDaemon(true);
            return t;
        });
        SocketServer server = SocketServer.bind(run.resolve("lspawn.sock"), "rw-rw-rw-", pool, lspawn::serve);
        Pop3Logins pop3 = new Pop3Logins(home, ids, dist, new AuthClient(home.authSocket()));
        ExecutorService logins = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "pop3");
            t.setDaemon(true);
            return t;
        });
        SocketServer pop3Server = SocketServer.bind(run.resolve("pop3.sock"), "rw-rw-rw-", logins, pop3::serve);
        Thread pop3Accept = new Thread(pop3Server, "pop3-accept");
        pop3Accept.setDaemon(true);
        pop3Accept.start();
        Signals.on("HUP", () -> {
            try {
                lspawn.reload();
                Log.info("status: qmail-lspawn reread its control files");
            } catch (IOException e) {
                Log.warning("qmail-lspawn: keeping the old settings: " + e.getMessage());
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            pop3Server.close();
            workers.stopAll();
        }, "shutdown"));
        Log.info("status: qmail-lspawn ready");
        server.run();
    }

    static void closeQuietly(UnixSocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // Already gone.
        }
    }
}
