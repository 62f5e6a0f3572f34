package jqmail.local.pop3d;

import java.util.Locale;

/**
 * The commands of the TRANSACTION state (RFC 1939, RFC 2449's CAPA, and
 * RFC 1081's LAST, which qmail kept), with how many arguments each takes.
 * The AUTHORIZATION commands are here too, only to be refused: the front
 * (qmail-popup) has done the login before this program starts.
 */
enum Verb {
    STAT(0, 0, State.TRANSACTION),
    LIST(0, 1, State.TRANSACTION),
    UIDL(0, 1, State.TRANSACTION),
    RETR(1, 1, State.TRANSACTION),
    TOP(2, 2, State.TRANSACTION),
    DELE(1, 1, State.TRANSACTION),
    RSET(0, 0, State.TRANSACTION),
    NOOP(0, 0, State.TRANSACTION),
    LAST(0, 0, State.TRANSACTION),
    CAPA(0, 0, State.TRANSACTION),
    QUIT(0, 0, State.TRANSACTION),
    USER(0, Integer.MAX_VALUE, State.AUTHORIZATION),
    PASS(0, Integer.MAX_VALUE, State.AUTHORIZATION),
    APOP(0, Integer.MAX_VALUE, State.AUTHORIZATION),
    AUTH(0, Integer.MAX_VALUE, State.AUTHORIZATION),
    STLS(0, Integer.MAX_VALUE, State.AUTHORIZATION);

    /** The RFC 1939 state a command belongs to; this program only ever is in TRANSACTION. */
    enum State { AUTHORIZATION, TRANSACTION }

    final int minArguments;
    final int maxArguments;
    final State state;

    Verb(int minArguments, int maxArguments, State state) {
        this.minArguments = minArguments;
        this.maxArguments = maxArguments;
        this.state = state;
    }

    /** The verb of a command's first word, in any case; null when there is none. */
    static Verb of(String word) {
        String w = word.toUpperCase(Locale.ROOT);
        for (Verb v : values()) {
            if (v.name().equals(w)) {
                return v;
            }
        }
        return null;
    }
}
