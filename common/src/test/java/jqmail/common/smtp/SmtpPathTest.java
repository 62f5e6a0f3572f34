package jqmail.common.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SmtpPathTest {
    static String ok(String arg, String kw) throws Exception {
        return SmtpPath.parse(arg, kw).address();
    }

    static Reply bad(String arg, String kw) {
        return assertThrows(SmtpPath.Invalid.class, () -> SmtpPath.parse(arg, kw)).reply();
    }

    @Test
    void acceptsWhatClientsSend() throws Exception {
        assertEquals("a@b.example", ok("FROM:<a@b.example>", "FROM"));
        assertEquals("a@b.example", ok("from: <a@b.example>", "FROM"));
        assertEquals("a@b.example", ok("FROM:a@b.example", "FROM"));
        assertEquals("", ok("FROM:<>", "FROM"));
        assertEquals("user@host.example", ok("TO:<@relay1,@relay2:user@host.example>", "TO"));
        assertEquals("first.last+tag@x-y.example", ok("TO:<first.last+tag@x-y.example>", "TO"));
        assertEquals("postmaster", ok("TO:<PostMaster>", "TO"));
        assertEquals("a b@c.example", ok("TO:<\"a b\"@c.example>", "TO"), "quotes removed as qmail does");
        assertEquals("x@[192.0.2.1]", ok("TO:<x@[192.0.2.1]>", "TO"));
        assertEquals("x@[IPv6:2001:db8::1]", ok("TO:<x@[IPv6:2001:db8::1]>", "TO"));
        assertEquals("x@example.com.", ok("TO:<x@example.com.>", "TO"));
    }

    @Test
    void parametersAreParsed() throws Exception {
        SmtpPath.Parsed p = SmtpPath.parse("FROM:<a@b> SIZE=1000 body=8BITMIME", "FROM");
        assertEquals(Map.of("SIZE", "1000", "BODY", "8BITMIME"), p.params());
    }

    @Test
    void refusesMalformedPaths() {
        assertEquals(Reply.SYNTAX, bad("FROM <a@b>", "FROM"));
        assertEquals(Reply.SYNTAX, bad("TO:<a@b>", "FROM"));
        assertEquals(Reply.BAD_PATH, bad("TO:<>", "TO"));
        assertEquals(Reply.BAD_PATH, bad("TO:<a@b", "TO"));
        assertEquals(Reply.BAD_PATH, bad("TO:<user>", "TO"), "only postmaster may go without a domain");
        assertEquals(Reply.BAD_PATH, bad("TO:<a@b..c>", "TO"));
        assertEquals(Reply.BAD_PATH, bad("TO:<a@-b.c>", "TO"));
        assertEquals(Reply.BAD_PATH, bad("TO:<a b@c>", "TO"));
        assertEquals(Reply.BAD_PATH, bad("TO:<a@[300.1.1.1]>", "TO"));
        assertEquals(Reply.BAD_PATH, bad("TO:<a@[IPv6:zz::1]>", "TO"));
        assertEquals(Reply.BAD_PATH, bad("TO:<\u00e9@c.example>", "TO"), "no 8-bit without SMTPUTF8");
        assertEquals(Reply.BAD_PATH, bad("TO:<a\u0001@c.example>", "TO"));
        assertEquals(Reply.BAD_PATH, bad("TO:<" + "a".repeat(1000) + "@c.example>", "TO"));
        assertEquals(Reply.SYNTAX, bad("TO:<a@b>junk", "TO"));
        assertEquals(Reply.SYNTAX, bad("FROM:<a@b> =x", "FROM"));
        assertEquals(Reply.SYNTAX, bad("FROM:<a@b> " + "K=V ".repeat(11), "FROM"));
    }
}
