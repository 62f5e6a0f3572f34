package jqmail.queue.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class AddressListTest {
    /** A field body, what format() gives for it, and the addresses it yields. */
    static Arguments form(String body, String formatted, String... addresses) {
        return Arguments.of(body, formatted, List.of(addresses));
    }

    static Stream<Arguments> forms() {
        return Stream.of(
            form("a@b.c", "a@b.c", "a@b.c"),
            form("a@b.c, d@e.f", "a@b.c, d@e.f", "a@b.c", "d@e.f"),
            form("Name <a@b.c>", "Name <a@b.c>", "a@b.c"),
            form("\"Quoted, Name\" <a@b.c>", "\"Quoted, Name\" <a@b.c>", "a@b.c"),
            form("John Q. Public <jqp@x.y>", "John Q. Public <jqp@x.y>", "jqp@x.y"),
            form("=?UTF-8?Q?J=C3=B6rg?= <j@x.y>, Jörg <j@x.y>",
                "=?UTF-8?Q?J=C3=B6rg?= <j@x.y>, Jörg <j@x.y>", "j@x.y", "j@x.y"),
            form("a@b.c (Comment)", "a@b.c (Comment)", "a@b.c"),
            form("a@b.c (x (y) z)", "a@b.c (x (y) z)", "a@b.c"),
            form("a(c1)@(c2)b.c", "a@b.c (c1) (c2)", "a@b.c"),
            form("(lead) a@b.c", "a@b.c (lead)", "a@b.c"),
            form("Name <a (in) @b.c> (after)", "Name <a@b.c> (in) (after)", "a@b.c"),
            form("(Joe) <j@x.y>", "(Joe) <j@x.y>", "j@x.y"),
            form("\"Joe \\\"JJ\\\" Smith\" <j@x.y>", "\"Joe \\\"JJ\\\" Smith\" <j@x.y>", "j@x.y"),
            form("j@x.y (a \\) b \\( c)", "j@x.y (a \\) b \\( c)", "j@x.y"),
            form("\"john doe\"@x.y", "\"john doe\"@x.y", "\"john doe\"@x.y"),
            form("\"a\\\"b\"@x.y", "\"a\\\"b\"@x.y", "\"a\\\"b\"@x.y"),
            form("\"john\"@x.y", "john@x.y", "john@x.y"),
            form("\"a\\b\"@x.y", "ab@x.y", "ab@x.y"),
            form("\"a b\".c@x.y", "\"a b.c\"@x.y", "\"a b.c\"@x.y"),
            form("john . doe @ x . y", "john.doe@x.y", "john.doe@x.y"),
            form("Friends: a@b.c, Name <d@e.f>;", "Friends: a@b.c, Name <d@e.f>;", "a@b.c", "d@e.f"),
            form("undisclosed-recipients:;", "undisclosed-recipients:;"),
            form("recipient list not shown: ;", "recipient list not shown: ;"),
            form("a@b.c, G: d@e.f;, h@i.j", "a@b.c, G: d@e.f;, h@i.j", "a@b.c", "d@e.f", "h@i.j"),
            form("G: (c) a@b.c; (t), h@i.j", "G: a@b.c (c); (t), h@i.j", "a@b.c", "h@i.j"),
            form("G: a@b.c, d@e.f", "G: a@b.c, d@e.f", "a@b.c", "d@e.f"),
            form("<@r1.x,@r2.y:user@host.z>", "<user@host.z>", "user@host.z"),
            form("Name <@r1.x:user@host.z>", "Name <user@host.z>", "user@host.z"),
            form("user@[192.0.2.1]", "user@[192.0.2.1]", "user@[192.0.2.1]"),
            form("user@[ 192.0.2.1 ]", "user@[192.0.2.1]", "user@[192.0.2.1]"),
            form("joe@x.y fred@z.w", "joe@x.y, fred@z.w", "joe@x.y", "fred@z.w"),
            form("joe fred", "joe, fred", "joe", "fred"),
            form("joe (Joe) fred (Fred)", "joe (Joe), fred (Fred)", "joe", "fred"),
            form("Joe Smith <joe@x.y>", "Joe Smith <joe@x.y>", "joe@x.y"),
            form("joe@x.y Fred <fred@z.w>", "joe@x.y, Fred <fred@z.w>", "joe@x.y", "fred@z.w"),
            form("<>", "<>"),
            form("Nobody <>, a@b.c", "Nobody <>, a@b.c", "a@b.c"),
            form("a@b.c,,d@e.f,", "a@b.c, d@e.f", "a@b.c", "d@e.f"),
            form(" , a@b.c ,", "a@b.c", "a@b.c"),
            form("a@b.c; d@e.f", "a@b.c, d@e.f", "a@b.c", "d@e.f"),
            form("", ""),
            form("a@b.c,\r\n d@e.f", "a@b.c, d@e.f", "a@b.c", "d@e.f"),
            form("Name\r\n\t<a@b.c>", "Name <a@b.c>", "a@b.c"),
            form("\"john\n doe\"@x.y", "\"john doe\"@x.y", "\"john doe\"@x.y"),
            form("a@b.c\r\nd@e.f", "a@b.c, d@e.f", "a@b.c", "d@e.f"),
            form("Name <a@b.c, d@e.f", "Name <a@b.c, d@e.f", "d@e.f"),
            form("<a@b.c, Name <d@e.f>", "<a@b.c, Name <d@e.f>", "d@e.f"),
            form("Name <a@b.c, d@e.f>, g@h.i", "Name <a@b.c, d@e.f>, g@h.i", "g@h.i"),
            form("<@r1.x,;@r2.y:u@h.i>, g@h.i", "<@r1.x,;@r2.y:u@h.i>, g@h.i", "g@h.i"),
            form("a@b.c, \"unclosed, d@e.f", "a@b.c, \"unclosed, d@e.f", "a@b.c"),
            form("a@b.c, (unclosed, d@e.f", "a@b.c, (unclosed, d@e.f", "a@b.c"),
            form("a@b.c, x@[1.2, d@e.f", "a@b.c, x@[1.2, d@e.f", "a@b.c"),
            form("a@b.c (unclosed", "a@b.c, (unclosed", "a@b.c"),
            form("a@b.c>, <d@e.f", "a@b.c, >, <d@e.f", "a@b.c"),
            form("a@, b@c.d, @e.f, g..h@i.j, k@l..m", "a@, b@c.d, @e.f, g..h@i.j, k@l..m", "b@c.d"),
            form("a@b.c) x@y.z", "a@b.c, ) x@y.z", "a@b.c"),
            form("G: a@b.c, H: d@e.f;, x@y.z", "G: a@b.c, H: d@e.f;, x@y.z", "a@b.c", "x@y.z"));
    }

    @ParameterizedTest
    @MethodSource("forms")
    void parsesAndFormats(String body, String formatted, List<String> addresses) {
        AddressList list = AddressList.parse(body);
        assertEquals(addresses, list.addresses());
        assertEquals(formatted, list.format());
    }

    static final Rewriter QMAIL = new Rewriter("host", "example.com", "plus.example");

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
        "joe => joe@host.example.com",
        "joe@x => joe@x.example.com",
        "joe@x.y => joe@x.y",
        "joe@x+ => joe@x.plus.example",
        "joe@x.y+ => joe@x.y.plus.example",
        "joe@+ => joe@plus.example",
        "joe@x.+ => joe@x.plus.example",
        "joe@[192.0.2.1] => joe@[192.0.2.1]",
        "<@r.x:joe@x> => <joe@x.example.com>",
        "Joe <joe> (home) => Joe <joe@host.example.com> (home)",
        "'\"john doe\"' => '\"john doe\"@host.example.com'",
        "'G: joe, fred@x;, <>' => 'G: joe@host.example.com, fred@x.example.com;, <>'",
        "'a@, b' => 'a@, b@host.example.com'",
    })
    void rewritesLikeQmailInject(String body, String rewritten) {
        assertEquals(rewritten, AddressList.parse(body).rewrite(QMAIL).format());
    }

    @Test
    void defaultHostGoesThroughTheHostRules() {
        assertEquals(List.of("joe@mail.example.org"),
            AddressList.parse("joe").rewrite(new Rewriter("mail.example.org", "example.com", "p.x")).addresses());
        assertEquals(List.of("joe@host.example.com"),
            AddressList.parse("joe").rewrite(new Rewriter("host", "example.com", "p.x")).addresses());
        assertEquals(List.of("joe@host.p.x"),
            AddressList.parse("joe").rewrite(new Rewriter("host+", "example.com", "p.x")).addresses());
    }

    @Test
    void unsetRulesAreNotApplied() {
        for (Rewriter off : List.of(new Rewriter(null, null, null), new Rewriter("", "", ""))) {
            assertEquals("joe, joe@x, joe@x+", AddressList.parse("joe, joe@x, joe@x+").rewrite(off).format());
        }
        assertEquals("joe@x+", AddressList.parse("joe@x+").rewrite(new Rewriter("h", "example.com", null)).format());
    }

    @Test
    void rewriteLeavesTheOriginalAlone() {
        AddressList list = AddressList.parse("joe, G: fred;");
        AddressList rewritten = list.rewrite(QMAIL);
        assertEquals(List.of("joe", "fred"), list.addresses());
        assertEquals(List.of("joe@host.example.com", "fred@host.example.com"), rewritten.addresses());
    }

    @Test
    void emptyMeansNoAddressAndNoGroup() {
        for (String empty : List.of("", " , ,", "<>", "Nobody <>", "(comment)", "\"unclosed", "@x")) {
            assertTrue(AddressList.parse(empty).isEmpty(), empty);
        }
        for (String notEmpty : List.of("a", "undisclosed-recipients:;", "x, a@b.c")) {
            assertFalse(AddressList.parse(notEmpty).isEmpty(), notEmpty);
        }
    }

    @Test
    void overlongBodiesAreKeptWholeWithoutAddresses() {
        String unit = "a@b.c,\r\n ";
        String body = unit.repeat(AddressList.MAX_LENGTH / unit.length() + 1);
        assertTrue(body.length() > AddressList.MAX_LENGTH);
        AddressList list = AddressList.parse(body);
        assertEquals(List.of(), list.addresses());
        assertEquals(body, list.format());
        assertEquals(body, list.rewrite(QMAIL).format());

        String longest = body.substring(0, AddressList.MAX_LENGTH);
        assertEquals(AddressList.MAX_LENGTH / unit.length() + 1, AddressList.parse(longest).addresses().size());
    }
}
