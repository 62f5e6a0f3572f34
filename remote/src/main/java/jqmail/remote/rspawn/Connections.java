package jqmail.remote.rspawn;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import jqmail.remote.smtp.SmtpConnection;

/**
 * Idle SMTP connections kept for the next message to the same address, so
 * a burst of messages to one destination pays one greeting, one EHLO and
 * one TLS handshake. A connection idle for {@link #IDLE_MILLIS} is closed
 * with QUIT.
 */
final class Connections {
    static final long IDLE_MILLIS = 5_000;

    private record Idle(SmtpConnection connection, long since) {
    }

    private final Map<String, ArrayDeque<Idle>> idle = new HashMap<>();

    /** An idle connection to {@code key} (address and port), or null. */
    synchronized SmtpConnection take(String key) {
        ArrayDeque<Idle> q = idle.get(key);
        Idle i = q == null ? null : q.pollFirst();
        return i == null ? null : i.connection();
    }

    /** Keeps a connection that finished a transaction in a good state. */
    synchronized void put(String key, SmtpConnection c) {
        idle.computeIfAbsent(key, k -> new ArrayDeque<>()).addFirst(new Idle(c, System.nanoTime()));
    }

    /** Closes what has been idle too long; called every second or so. */
    void expire() {
        java.util.List<SmtpConnection> old = new java.util.ArrayList<>();
        long now = System.nanoTime();
        synchronized (this) {
            for (Iterator<ArrayDeque<Idle>> qs = idle.values().iterator(); qs.hasNext(); ) {
                ArrayDeque<Idle> q = qs.next();
                while (!q.isEmpty() && (now - q.peekLast().since()) / 1_000_000 > IDLE_MILLIS) {
                    old.add(q.pollLast().connection());
                }
                if (q.isEmpty()) {
                    qs.remove();
                }
            }
        }
        for (SmtpConnection c : old) {
            c.quit();
        }
    }

    /** Every idle connection, closed politely (at exit). */
    void closeAll() {
        java.util.List<SmtpConnection> all = new java.util.ArrayList<>();
        synchronized (this) {
            for (ArrayDeque<Idle> q : idle.values()) {
                for (Idle i : q) {
                    all.add(i.connection());
                }
            }
            idle.clear();
        }
        for (SmtpConnection c : all) {
            c.quit();
        }
    }
}
