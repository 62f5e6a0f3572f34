package jqmail.common;

/**
 * The queue daemon's answer to one injection.
 *
 * @param code a qmail-queue exit code; 0 means queued
 * @param text for success "ok ID", otherwise a reason a caller may show
 */
public record InjectResult(int code, String text) {
    public static InjectResult of(QueueExit exit) {
        return new InjectResult(exit.code(), exit.text());
    }

    public static InjectResult of(QueueExit exit, String detail) {
        return new InjectResult(exit.code(), detail);
    }

    public boolean ok() {
        return code == 0;
    }

    public boolean permanent() {
        return QueueExit.isPermanent(code);
    }
}
