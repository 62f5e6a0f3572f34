package jqmail.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AddressTest {
    @Test
    void refusesCrLfAndNul() {
        for (String bad : new String[] {"a\r@b", "a\n@b", "a\0@b", "user@example.com\r\nRCPT TO:<x@y>"}) {
            InvalidAddressException e = assertThrows(InvalidAddressException.class, () -> new Address(bad));
            assertEquals(QueueExit.ADDRESS_FORBIDDEN_BYTE, e.reason().exit());
        }
    }

    @Test
    void lengthLimitIsQmailQueues() {
        new Address("a".repeat(Address.MAX_LENGTH));
        InvalidAddressException e = assertThrows(InvalidAddressException.class,
            () -> new Address("a".repeat(Address.MAX_LENGTH + 1)));
        assertEquals(11, e.reason().exit().code());
    }

    @Test
    void splitsAtTheLastAt() {
        Address a = new Address("\"x@y\"@example.com");
        assertEquals("example.com", a.domain());
        assertEquals("\"x@y\"", a.local());
        assertEquals("", new Address("postmaster").domain());
    }

    @Test
    void bytesRoundTripExactly() {
        byte[] raw = {'j', (byte) 0xe9, (byte) 0xff, '@', 'x'};
        Address a = Address.ofBytes(raw, 0, raw.length);
        assertEquals(5, a.bytes().length);
        assertEquals((byte) 0xe9, a.bytes()[1]);
        assertEquals("j__@x", a.printable());
    }
}
