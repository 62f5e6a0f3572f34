package jqmail.remote.smtp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MailPathTest {
    @Test
    void plainAddress() {
        assertEquals("<user@example.org>", MailPath.of("user@example.org"));
        assertEquals("<first.last+tag@example.org>", MailPath.of("first.last+tag@example.org"));
        assertEquals("<o'brien@[192.0.2.1]>", MailPath.of("o'brien@[192.0.2.1]"));
    }

    @Test
    void nullSender() {
        assertEquals("<>", MailPath.of(""));
    }

    @Test
    void localPartThatIsNotADotAtomIsQuoted() {
        assertEquals("<\"john doe\"@example.org>", MailPath.of("john doe@example.org"));
        assertEquals("<\".lead\"@example.org>", MailPath.of(".lead@example.org"));
        assertEquals("<\"a..b\"@example.org>", MailPath.of("a..b@example.org"));
        assertEquals("<\"trail.\"@example.org>", MailPath.of("trail.@example.org"));
        assertEquals("<\"a\\\"b\\\\c\"@example.org>", MailPath.of("a\"b\\c@example.org"));
        assertEquals("<\"x@y\"@example.org>", MailPath.of("x@y@example.org"));
        assertEquals("<\"<a>\"@example.org>", MailPath.of("<a>@example.org"));
    }

    @Test
    void withoutDomain() {
        assertEquals("<postmaster>", MailPath.of("postmaster"));
    }

    @Test
    void lineBreaksCannotReachACommand() {
        assertThrows(IllegalArgumentException.class, () -> MailPath.of("a@b>\r\nRCPT TO:<c@d"));
        assertThrows(IllegalArgumentException.class, () -> MailPath.of("a\n@b"));
        assertThrows(IllegalArgumentException.class, () -> MailPath.of("a\u0000@b"));
    }
}
