package jqmail.common;

/** An envelope that breaks qmail's format; {@link #exit()} is the qmail-queue code to report. */
public final class EnvelopeException extends Exception {
    private final QueueExit exit;

    public EnvelopeException(QueueExit exit, String message) {
        super(message);
        this.exit = exit;
    }

    public QueueExit exit() {
        return exit;
    }
}
