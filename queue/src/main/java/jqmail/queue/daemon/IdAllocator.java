package jqmail.queue.daemon;

import java.time.Instant;
import jqmail.common.QueueId;

/**
 * Hands out queue ids: microseconds since the epoch, strictly increasing,
 * starting above every id already in the queue. The queue daemon is the
 * only writer of new messages, so no two messages ever share an id, and a
 * clock that steps back cannot reuse one.
 */
final class IdAllocator {
    private long last;

    IdAllocator(long highestInUse) {
        this.last = highestInUse;
    }

    synchronized QueueId next() {
        Instant now = Instant.now();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
        last = Math.max(last + 1, micros);
        return new QueueId(last);
    }
}
