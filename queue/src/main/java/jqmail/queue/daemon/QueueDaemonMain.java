package jqmail.queue.daemon;

import jqmail.common.Home;
import jqmail.common.Log;
import jqmail.common.Signals;

/** {@code qmail-queued [--home DIR]}: see this package's documentation. */
public final class QueueDaemonMain {
    private QueueDaemonMain() {
    }

    public static void main(String[] args) {
        Home home = Home.ofDaemonArguments("qmail-queued", args);
        Signals.ignoreFatalDefaults();
        // The write lease FilePool takes for an instant is broken by an open elsewhere with SIGIO, fatal by default.
        Signals.on("IO", () -> { });
        QueueDaemon daemon;
        try {
            daemon = QueueDaemon.start(home);
        } catch (QueueDaemon.StartException e) {
            Log.alert(e.getMessage());
            System.exit(111);
            return;
        }
        Signals.on("HUP", daemon::reload);
        Signals.on("ALRM", daemon::pokeMaildrop);
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::shutdown, "shutdown"));
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
