package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class Tai64nTest {
    @Test
    void labelsAreReadAndJunkIsNoLabel() {
        assertEquals(Instant.parse("2026-11-22T06:44:15.100Z"), Tai64n.labelOf("@400000006b028f4905f5e100 new msg 1"));
        assertEquals(Instant.parse("2026-11-22T06:44:15Z"), Tai64n.labelOf("@400000006B028F4900000000"));
        Instant now = Instant.ofEpochSecond(1795329855, 123456789);
        assertEquals(now, Tai64n.labelOf(Tai64n.format(now) + " x"));
        for (String junk : new String[] {"", "@", "@400000006b028f4905f5e10", "@400000006b028f4905f5e100x",
            "@400000006b028f4905f5e1g0 x", "@f00000006b028f4905f5e100 x", "@400000006b028f49ffffffff x",
            "@40000000\u0661b028f4905f5e100 x", "400000006b028f4905f5e100 x", "@4000000000000000000000000 x",
            "@7fffffffffffffff00000000 x"}) {
            assertNull(Tai64n.labelOf(junk), junk);
        }
    }
}
