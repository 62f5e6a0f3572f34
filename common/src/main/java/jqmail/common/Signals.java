package jqmail.common;

import sun.misc.Signal;

/**
 * Signal handlers for daemons. A JVM dies of SIGHUP, SIGALRM and SIGUSR1
 * by default (DESIGN §9); a daemon installs a handler for each signal it
 * gives a meaning, and ignores the others of these three. SIGTERM keeps the
 * JVM's handling: shutdown hooks run, then the process exits.
 */
public final class Signals {
    private Signals() {
    }

    /** Runs {@code action} on the JVM's signal thread whenever {@code name} (e.g. "HUP") arrives. */
    public static void on(String name, Runnable action) {
        Signal.handle(new Signal(name), s -> action.run());
    }

    /** Keeps HUP, ALRM and USR1 from killing the process; call before installing real handlers. */
    public static void ignoreFatalDefaults() {
        for (String s : new String[] {"HUP", "ALRM", "USR1"}) {
            Signal.handle(new Signal(s), sig -> { });
        }
    }
}
