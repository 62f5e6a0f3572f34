package jqmail.queue.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdmissionTest {
    final Settings limits = new Settings(0, 2, 5, 60);

    @Test
    void anOrdinaryUidGetsItsShareAndNoMore() {
        Admission a = new Admission();
        assertNull(a.enter(1000, false, limits));
        assertNull(a.enter(1000, false, limits));
        String refusal = a.enter(1000, false, limits);
        assertNotNull(refusal);
        assertTrue(refusal.contains("uid 1000"), refusal);
        assertNull(a.enter(1001, false, limits), "another user is not held back by the first");
        a.leave(1000);
        assertNull(a.enter(1000, false, limits), "a slot comes back when an injection ends");
    }

    @Test
    void theHomesOwnAccountsAreHeldOnlyToTheTotal() {
        Admission a = new Admission();
        for (int i = 0; i < 5; i++) {
            assertNull(a.enter(990, true, limits));
        }
        assertNotNull(a.enter(990, true, limits), "the total still applies");
        assertNotNull(a.enter(1000, false, limits));
        assertEquals(5, a.total());
    }
}
