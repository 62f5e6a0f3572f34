package jqmail.auth;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Failed logins per remote address over a sliding window: past
 * {@code limit} failures within {@code windowMillis}, the address is refused
 * without a check until the oldest failure leaves the window. A success
 * does not clear the count (one known password must not reset guessing at
 * others from the same address). The table is
 * bounded (the least recently failing addresses are forgotten first), so a
 * flood of addresses cannot exhaust memory.
 */
final class FailureLimit {
    static final int MAX_ADDRESSES = 10_000;

    private final int limit;
    private final long windowMillis;
    private final LongSupplier clock;
    private final Map<String, Deque<Long>> failures = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Long>> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    FailureLimit(int limit, long windowMillis, LongSupplier clock) {
        this.limit = limit;
        this.windowMillis = windowMillis;
        this.clock = clock;
    }

    synchronized boolean limited(String address) {
        Deque<Long> d = failures.get(address);
        if (d == null) {
            return false;
        }
        expire(d);
        if (d.isEmpty()) {
            failures.remove(address);
            return false;
        }
        return d.size() >= limit;
    }

    synchronized void failed(String address) {
        Deque<Long> d = failures.computeIfAbsent(address, k -> new ArrayDeque<>());
        expire(d);
        d.addLast(clock.getAsLong());
        while (d.size() > limit) {
            d.removeFirst();
        }
    }

    private void expire(Deque<Long> d) {
        long oldest = clock.getAsLong() - windowMillis;
        while (!d.isEmpty() && d.peekFirst() <= oldest) {
            d.removeFirst();
        }
    }
}
