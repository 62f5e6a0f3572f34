package jqmail.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PrintableTest {
    @Test
    void aWordLosesSpacesControlsAndNonAscii() {
        assertEquals("a?b??c?d", Printable.word("a b\r\nc\u0007d", '?', 64));
        assertEquals("r__t_", Printable.word("r\u00e9\tt\n", '_', 64));
    }

    @Test
    void aLineKeepsSpacesAndIsCut() {
        assertEquals("250 ok ? done", Printable.line("250 ok \n done", '?', 200));
        assertEquals("abc", Printable.line("abcdef", '?', 3));
        assertEquals("x_y", Printable.line("x\u2028y", '_', Integer.MAX_VALUE));
    }
}
