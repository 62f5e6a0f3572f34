package jqmail.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueueExitTest {
    @Test
    void codesAreQmailQueues() {
        assertEquals(0, QueueExit.OK.code());
        assertEquals(11, QueueExit.ADDRESS_TOO_LONG.code());
        assertEquals(53, QueueExit.WRITE_ERROR.code());
        assertEquals(54, QueueExit.READ_ERROR.code());
        assertEquals(81, QueueExit.BUG.code());
        assertEquals(91, QueueExit.ENVELOPE_FORMAT.code());
    }

    @Test
    void permanenceFollowsQmailsRange() {
        for (QueueExit e : QueueExit.values()) {
            assertEquals(e.code() >= 11 && e.code() <= 40, e.isPermanent(), e.name());
            if (e.isPermanent()) {
                assertTrue(e.text().contains("#5."), e.name() + " says a permanent status");
            } else if (e != QueueExit.OK) {
                assertTrue(e.text().contains("#4."), e.name() + " says a temporary status");
            }
        }
        assertTrue(QueueExit.isPermanent(40));
        assertFalse(QueueExit.isPermanent(41));
    }

    @Test
    void codesAreUnique() {
        Set<Integer> seen = new HashSet<>();
        for (QueueExit e : QueueExit.values()) {
            assertTrue(seen.add(e.code()), "duplicate " + e.code());
        }
    }

    @Test
    void unknownCodesAreNeverSuccess() {
        assertNotEquals(QueueExit.OK, QueueExit.of(99));
        assertFalse(QueueExit.of(99).isPermanent());
        assertTrue(QueueExit.of(25).isPermanent());
    }
}
