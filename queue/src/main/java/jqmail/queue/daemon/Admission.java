package jqmail.queue.daemon;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts open injections per uid and in all, against limits that keep a
 * world-connectable socket from being used to exhaust the daemon. The
 * home's own accounts (smtpd, bounces, forwards) are held only to the total.
 */
final class Admission {
    private final Map<Integer, Integer> perUid = new HashMap<>();
    private int total;

    /** Takes a slot; returns null when admitted, else the reason for refusing. */
    synchronized String enter(int uid, boolean own, Settings s) {
        if (total >= s.totalLimit()) {
            return "too many simultaneous injections (" + s.totalLimit() + ")";
        }
        int n = perUid.getOrDefault(uid, 0);
        if (!own && n >= s.uidLimit()) {
            return "too many simultaneous injections for uid " + Integer.toUnsignedString(uid)
                + " (" + s.uidLimit() + ")";
        }
        perUid.put(uid, n + 1);
        total++;
        return null;
    }

    synchronized void leave(int uid) {
        int n = perUid.getOrDefault(uid, 0);
        if (n <= 1) {
            perUid.remove(uid);
        } else {
            perUid.put(uid, n - 1);
        }
        total--;
    }

    synchronized int total() {
        return total;
    }
}
