package jqmail.queue.inject;

/**
 * Why a message was not queued, in terms both front ends map to their own
 * exit codes: qmail-inject's 100/111 and sendmail's sysexits.
 */
public final class Refusal extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** The command line is wrong. */
        USAGE,
        /** A recipient or the sender is not a mail address. */
        BAD_ADDRESS,
        /** Nobody to send to. */
        NO_RECIPIENTS,
        /** Refused for good by the queue (too big, too many recipients ...). */
        PERMANENT,
        /** Try again later: nothing was queued. */
        TEMPORARY
    }

    public final Kind kind;

    Refusal(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }
}
