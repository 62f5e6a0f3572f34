package jqmail.send;

/**
 * One recipient of one message in one channel: its address as delivered
 * (virtual-domain prepend applied), where its record sits in the channel
 * file (for the in-place checkpoint), and its state.
 */
final class Recipient {
    enum State { PENDING, DONE }

    final String address;
    final long offset;
    State state;
    boolean inFlight;

    Recipient(String address, long offset, boolean done) {
        this.address = address;
        this.offset = offset;
        this.state = done ? State.DONE : State.PENDING;
    }
}
