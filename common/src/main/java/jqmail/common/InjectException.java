package jqmail.common;

import java.io.IOException;

/** An injection that failed; {@link #result()} says how, in qmail-queue's terms. */
public final class InjectException extends IOException {
    private final InjectResult result;

    public InjectException(InjectResult result) {
        super(result.text());
        this.result = result;
    }

    public InjectException(QueueExit exit, String detail) {
        this(InjectResult.of(exit, detail));
    }

    public InjectResult result() {
        return result;
    }
}
