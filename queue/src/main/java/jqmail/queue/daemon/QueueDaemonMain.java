package jqmail.queue.daemon;

import jqmail.common.Home;
import jqmail.common.Log;
import jqmail.common.Signals;

/** {@code qmail-queued [--home DIR]}: see this package's documentation. */
public final class QueueDaemonMain {
    private QueueDaemonMain() {
    }

    public static void main(String[] args) {
        String dir = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--home") && i + 1 < args.length) {
                dir = args[++i];
            } else {
                System.err.println("qmail-queued: usage: qmail-queued [--home DIR]");
                System.exit(100);
            }
        }
        Signals.ignoreFatalDefaults();
        QueueDaemon daemon;
        try {
            daemon = QueueDaemon.start(Home.of(dir));
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
