package jqmail.common.smtp;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-read and per-write timeouts for many sessions at the cost of a
 * volatile write each: a session arms its {@link Watchdog} before a
 * blocking read or write and disarms it after; one thread looks at all of
 * them four times a second and fires those past their deadline. A timeout
 * is in whole seconds (qmail's timeoutsmtpd), so a quarter second of slack
 * does not matter.
 */
public final class Watchdogs {
    private static final long TICK_MILLIS = 250;

    private final Set<Watchdog> live = ConcurrentHashMap.newKeySet();

    /** Starts the checking thread (a daemon thread). */
    public Watchdogs() {
        Thread t = new Thread(this::loop, "smtp-timeouts");
        t.setDaemon(true);
        t.start();
    }

    /** A session's timer; {@code onExpiry} runs at most once, on the checking thread. */
    public Watchdog watchdog(Runnable onExpiry) {
        Watchdog w = new Watchdog(onExpiry);
        live.add(w);
        return w;
    }

    private void loop() {
        for (;;) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Watchdog w : live) {
                long d = w.deadline;
                if (d != 0 && now - d > 0 && !w.fired) {
                    w.fired = true;
                    w.deadline = 0;
                    try {
                        w.onExpiry.run();
                    } catch (RuntimeException e) {
                        // One session's trouble stays with it.
                    }
                }
            }
        }
    }

    /** One session's deadline. */
    public final class Watchdog implements AutoCloseable {
        private final Runnable onExpiry;
        private volatile long deadline;
        private volatile boolean fired;

        private Watchdog(Runnable onExpiry) {
            this.onExpiry = onExpiry;
        }

        /** Starts a new deadline; a watchdog that fired may fire again for it. */
        public void arm(long millis) {
            long d = System.nanoTime() + millis * 1_000_000L;
            fired = false;
            deadline = d == 0 ? 1 : d;
        }

        public void disarm() {
            deadline = 0;
        }

        public boolean fired() {
            return fired;
        }

        @Override
        public void close() {
            deadline = 0;
            live.remove(this);
        }
    }
}
