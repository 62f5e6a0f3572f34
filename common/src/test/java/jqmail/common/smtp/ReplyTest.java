package jqmail.common.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class ReplyTest {
    @Test
    void everyEntryIsWellFormed() {
        for (Reply r : Reply.values()) {
            String line = r.format("x", "y");
            assertTrue(line.matches("[2-5]\\d\\d [ -~]*\r\n"), r + ": " + line);
            if (r.status() != null) {
                assertEquals(Integer.toString(r.code()).charAt(0), r.status().charAt(0), r + " class matches");
                assertTrue(r.status().matches("[245]\\.\\d{1,3}\\.\\d{1,3}"), r.status());
            }
            String lower = r.text().toLowerCase(Locale.ROOT);
            for (String name : new String[] {"jqmail", "java", "qmail", "postfix", "version"}) {
                assertFalse(lower.contains(name), r + " names no software");
            }
        }
    }

    @Test
    void argumentsCannotInjectLines() {
        String s = Reply.QUEUE_TEMPORARY.format("bad\r\n250 ok\0");
        assertEquals("451 4.3.0 bad??250 ok?\r\n", s);
    }
}
