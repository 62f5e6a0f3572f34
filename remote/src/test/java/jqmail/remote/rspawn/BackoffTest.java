package jqmail.remote.rspawn;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Backoff backoff = new Backoff(now::get);

    private void seconds(long s) {
        now.addAndGet(s * 1000);
    }

    @Test
    void aThrottledDestinationIsDeferredForAMinuteWithWhatItSaid() {
        assertNull(backoff.deferral("example.com"));
        backoff.throttled("example.com", "421 4.7.0 Try again later");
        String d = backoff.deferral("example.com");
        assertTrue(d.startsWith("Not trying example.com for 60 more seconds") && d.contains("421 4.7.0 Try again later")
            && d.endsWith("(#4.7.0)"), d);
        assertNull(backoff.deferral("example.org"), "other destinations go on");
        seconds(59);
        assertTrue(backoff.deferral("example.com").contains("for 1 more seconds"));
        seconds(1);
        assertNull(backoff.deferral("example.com"));
    }

    @Test
    void eachFurtherThrottleDoublesUpToAnHourAndASuccessEndsIt() {
        long expected = 60;
        for (int i = 0; i < 8; i++) {
            backoff.throttled("example.com", "421 slow down");
            backoff.throttled("example.com", "421 the same slow-down, seen by a second delivery");
            assertTrue(backoff.deferral("example.com").contains("for " + expected + " more seconds"),
                backoff.deferral("example.com"));
            seconds(expected);
            expected = Math.min(3600, expected * 2);
        }
        backoff.succeeded("example.com");
        backoff.throttled("example.com", "421 again");
        assertTrue(backoff.deferral("example.com").contains("for 60 more seconds"));
    }

    @Test
    void aSuccessOfADeliveryStartedBeforeTheThrottleDoesNotEndIt() {
        backoff.throttled("example.com", "450 4.7.1 rate limited");
        backoff.succeeded("example.com");
        assertTrue(backoff.deferral("example.com") != null);
    }
}
