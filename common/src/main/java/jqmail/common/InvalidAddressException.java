package jqmail.common;

/** An address that cannot be an {@link Address}; the reason picks the qmail-queue exit code. */
public final class InvalidAddressException extends IllegalArgumentException {
    public enum Reason {
        TOO_LONG(QueueExit.ADDRESS_TOO_LONG),
        FORBIDDEN_BYTE(QueueExit.ADDRESS_FORBIDDEN_BYTE);

        private final QueueExit exit;

        Reason(QueueExit exit) {
            this.exit = exit;
        }

        public QueueExit exit() {
            return exit;
        }
    }

    private final Reason reason;

    public InvalidAddressException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
