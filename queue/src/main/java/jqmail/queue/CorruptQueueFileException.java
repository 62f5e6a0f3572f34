package jqmail.queue;

/** A file in the queue that is not a well-formed queue file. */
public final class CorruptQueueFileException extends Exception {
    public CorruptQueueFileException(String message) {
        super(message);
    }
}
