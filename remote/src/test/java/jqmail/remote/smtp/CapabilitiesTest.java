package jqmail.remote.smtp;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CapabilitiesTest {
    private static Capabilities of(String... lines) {
        return Capabilities.of(new PeerReply(250, List.of(lines)));
    }

    @Test
    void readsWhatTheClientUses() {
        Capabilities c = of("250-mx.example hello", "250-PIPELINING", "250-8BITMIME", "250-SIZE 10240000",
            "250-STARTTLS", "250-AUTH LOGIN PLAIN", "250 ENHANCEDSTATUSCODES");
        assertTrue(c.pipelining());
        assertTrue(c.eightBitMime());
        assertTrue(c.startTls());
        assertEquals(10240000, c.sizeLimit());
        assertTrue(c.authPlain());
        assertTrue(c.authLogin());
        assertTrue(c.tooBig(10240001));
        assertFalse(c.tooBig(10240000));
    }

    @Test
    void theGreetingLineIsNotAKeyword() {
        Capabilities c = of("250 PIPELINING");
        assertFalse(c.pipelining());
    }

    @Test
    void sizeWithoutLimitAndOldAuthSyntax() {
        Capabilities c = of("250-mx", "250-size", "250 AUTH=LOGIN");
        assertEquals(0, c.sizeLimit());
        assertFalse(c.tooBig(Long.MAX_VALUE));
        assertTrue(c.authLogin());
        assertFalse(c.authPlain());
    }

    @Test
    void noSizeOffered() {
        assertEquals(-1, of("250-mx", "250 PIPELINING").sizeLimit());
        assertFalse(Capabilities.NONE.tooBig(1L << 40));
    }
}
