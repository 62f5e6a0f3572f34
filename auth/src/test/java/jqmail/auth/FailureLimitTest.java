package jqmail.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailureLimitTest {
    final AtomicLong now = new AtomicLong(1_000_000);
    final FailureLimit limit = new FailureLimit(3, 60_000, now::get);

    @Test
    void anAddressIsRefusedAfterItsFailuresUntilTheyAge() {
        for (int i = 0; i < 2; i++) {
            limit.failed("192.0.2.1");
            now.addAndGet(1000);
        }
        assertFalse(limit.limited("192.0.2.1"), "two failures are allowed");
        limit.failed("192.0.2.1");
        assertTrue(limit.limited("192.0.2.1"), "the third reaches the limit");
        assertFalse(limit.limited("192.0.2.2"), "another address is not touched");
        now.addAndGet(58_001);
        assertFalse(limit.limited("192.0.2.1"), "the oldest failure has left the window");
        limit.failed("192.0.2.1");
        assertTrue(limit.limited("192.0.2.1"), "and one more failure fills it again");
    }

    @Test
    void theTableForgetsTheLeastRecentAddressesBeyondItsBound() {
        limit.failed("192.0.2.1");
        limit.failed("192.0.2.1");
        limit.failed("192.0.2.1");
        for (int i = 0; i < FailureLimit.MAX_ADDRESSES; i++) {
            limit.failed("10.0." + (i / 256) + "." + (i % 256));
        }
        assertFalse(limit.limited("192.0.2.1"), "bounded memory: the oldest entry went first");
    }
}
