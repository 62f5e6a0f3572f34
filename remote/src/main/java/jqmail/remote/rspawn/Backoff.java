package jqmail.remote.rspawn;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Destinations that asked us to slow down. A receiver that answers 421,
 * or a 4xx with an enhanced code 4.7.x (how large mailbox providers say
 * "you send too fast"), gets no connection for a while: one minute after
 * the first such answer, doubling with each one after that time is up,
 * up to an hour,
 * back to one minute after a delivery goes through without one. Mail for
 * it meanwhile is deferred at once, without a connection, and comes back
 * on qmail's retry schedule; so a list run slows down instead of getting
 * the sending host blocked. A destination is the recipient domain, or the
 * relay when control/smtproutes names one.
 */
final class Backoff {
    static final long FIRST_SECONDS = 60;
    static final long MOST_SECONDS = 3600;

    private record State(long until, long seconds, String said) {
    }

    /** Milliseconds, as {@link System#currentTimeMillis()}. */
    private final LongSupplier clock;
    private final Map<String, State> states = new HashMap<>();

    Backoff(LongSupplier clock) {
        this.clock = clock;
    }

    /** The deferral for a destination still backed off, or null when it may be tried. */
    synchronized String deferral(String destination) {
        State s = states.get(destination);
        long now = clock.getAsLong();
        if (s == null || now >= s.until()) {
            return null;
        }
        return "Not trying " + destination + " for " + ((s.until() - now + 999) / 1000)
            + " more seconds: it asked us to slow down.\nRemote host said: " + s.said() + " (#4.7.0)";
    }

    /** The destination answered {@code said} (421 or 4.7.x): back off, longer each time. */
    synchronized void throttled(String destination, String said) {
        State s = states.get(destination);
        if (s != null && clock.getAsLong() < s.until()) {
            return;   // several hosts or deliveries saw the same slow-down: one step, not many
        }
        long seconds = s == null ? FIRST_SECONDS : Math.min(MOST_SECONDS, s.seconds() * 2);
        states.put(destination, new State(clock.getAsLong() + seconds * 1000, seconds, said));
    }

    /** A delivery went through without a request to slow down: the next one starts from a minute again. */
    synchronized void succeeded(String destination) {
        State s = states.get(destination);
        if (s != null && clock.getAsLong() >= s.until()) {
            states.remove(destination);
        }
    }
}
