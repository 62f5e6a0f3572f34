package jqmail.send;

import jqmail.common.Outcome;

/**
 * Where deliveries of one kind go: the local spawner, or (later) the remote
 * one. A channel takes a delivery and reports its outcome once, from any
 * thread, through the listener it was given.
 */
interface Channel {
    /** Reports outcomes; called from the channel's own threads. */
    interface Listener {
        void done(long ticket, Outcome outcome);
    }

    /** Starts a delivery; the outcome comes to the listener with the same ticket. False when the channel is down. */
    boolean start(long ticket, String messageId, String sender, String recipient);

    /** Sends what {@link #start} gathered: deliveries started together reach the agent together. */
    default void flush() {
    }

    void close();
}
