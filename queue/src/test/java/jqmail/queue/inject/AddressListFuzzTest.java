package jqmail.queue.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated field bodies, from a fixed seed so a failure repeats.
 * For every input: nothing is thrown (parse documents no exception at all),
 * nothing runs long (each test has a preemptive timeout),
 * the rendering parses back to the same addresses and renders the same
 * again, the rewritten rendering parses back to the rewritten addresses, no
 * line break reaches the output, and the output stays within three times the
 * input.
 */
class AddressListFuzzTest {
    static final int ITERATIONS = 200_000;
    static final Rewriter QMAIL = new Rewriter("host", "example.com", "plus.example");
    /** Heavy on the chars that steer the parser. */
    static final String ALPHABET = "\"\"(()<<>>@@,,;;::..[]\\\\  \t\r\nabxyz09-+=?é\0\u007f";

    static final List<String> SEEDS = List.of(
        "a@b.c, d@e.f",
        "\"Quoted, Name\" <a@b.c> (Comment (nested) \\) here)",
        "a(c1)@(c2)b.c",
        "\"john doe\"@x.y, \"a\\\"b\"@x.y, \"a b\".c@x.y",
        "Friends: a@b.c, Name <d@e.f>;, undisclosed-recipients:;, recipient list not shown: ;",
        "<@r1.x,@r2.y:user@host.z>, Name <@r:u@h>",
        "user@[192.0.2.1], x@[ 1.2.3.4 ]",
        "joe@x.y fred@z.w joe fred, Joe Smith <joe@x.y>",
        "<>, a@b.c,,d@e.f,",
        "a@b.c,\r\n d@e.f,\n\tName\r\n <g@h.i>",
        "Name <a@b.c, \"unclosed, (open, x@[1.2",
        "G: (c) a@b.c; (t), H: I: x;",
        "a@b.c; d@e.f> ) ] \\ @x");

    @Test
    void survivesAndRoundTripsRandomInput() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Random rnd = new Random(0x5322);
            for (int i = 0; i < ITERATIONS; i++) {
                String input = rnd.nextInt(3) == 0 ? random(rnd) : mutant(rnd);
                check(input);
                if (i % 20_000 == 0) {
                    check(input + ",".repeat(AddressList.MAX_LENGTH));
                }
            }
        });
    }

    /** Inputs built to make a careless scanner or parser go quadratic; each is at the length limit. */
    @Test
    void worstCaseInputsTakeLinearTime() {
        List<String> units = List.of("(", "\"\\", "((a)", "[", "<", "<@a,", "a ", "a.", "a@b ", "G:", "G: a;",
            ",", "\\(", "x(", "\"a\"", ">", "@", "a@[", "<a b>");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (String unit : units) {
                String body = unit.repeat(AddressList.MAX_LENGTH / unit.length());
                check(body);
                check("a@b.c, " + body.substring(7));
            }
        });
    }

    static void check(String input) {
        try {
            AddressList list = AddressList.parse(input);
            String out = list.format();
            AddressList rewritten = list.rewrite(QMAIL);
            String rewrittenOut = rewritten.format();
            // Near the limit a rendering (", " for " ") can outgrow it and would be kept whole.
            if (out.length() <= AddressList.MAX_LENGTH) {
                AddressList again = AddressList.parse(out);
                assertEquals(list.addresses(), again.addresses(), "addresses after a round trip");
                assertEquals(out, again.format(), "rendering is a fixed point");
            }
            if (rewrittenOut.length() <= AddressList.MAX_LENGTH) {
                assertEquals(rewritten.addresses(), AddressList.parse(rewrittenOut).addresses(),
                    "rewritten round trip");
            }
            if (input.length() > AddressList.MAX_LENGTH) {
                assertEquals(input, out, "an overlong body is kept whole");
                assertTrue(list.addresses().isEmpty(), "an overlong body yields no address");
                return;
            }
            // At worst each one-char entry gets a ", ": a""b is rendered a, "", b.
            assertTrue(out.length() <= 3 * input.length(), "output bounded by the input");
            assertTrue(noLineBreak(out) && noLineBreak(rewrittenOut), "no line break in the output");
            for (String a : list.addresses()) {
                assertTrue(noLineBreak(a), "no line break in an address");
            }
        } catch (Throwable e) {
            String shown = input.length() > 300 ? input.substring(0, 300) + "..." : input;
            String why = String.valueOf(e.getMessage());
            why = why.length() > 300 ? why.substring(0, 300) + "..." : why;
            throw new AssertionError("input " + escape(shown) + ": " + why, e);
        }
    }

    static boolean noLineBreak(String s) {
        return s.indexOf('\r') < 0 && s.indexOf('\n') < 0;
    }

    static String random(Random rnd) {
        StringBuilder b = new StringBuilder();
        for (int n = rnd.nextInt(24); n > 0; n--) {
            b.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    static String mutant(Random rnd) {
        StringBuilder b = new StringBuilder(SEEDS.get(rnd.nextInt(SEEDS.size())));
        for (int n = 1 + rnd.nextInt(4); n > 0; n--) {
            int at = rnd.nextInt(b.length() + 1);
            switch (rnd.nextInt(5)) {
                case 0 -> b.insert(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                case 1 -> {
                    if (at < b.length()) {
                        b.deleteCharAt(at);
                    }
                }
                case 2 -> {
                    if (at < b.length()) {
                        b.setCharAt(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                    }
                }
                case 3 -> {
                    int end = Math.min(b.length(), at + rnd.nextInt(12));
                    b.insert(rnd.nextInt(b.length() + 1), b.substring(at, end));
                }
                default -> {
                    String other = SEEDS.get(rnd.nextInt(SEEDS.size()));
                    b.setLength(at);
                    b.append(other, rnd.nextInt(other.length()), other.length());
                }
            }
        }
        return b.toString();
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\r' -> b.append("\\r");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '"', '\\' -> b.append('\\').append(c);
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** The seeds themselves, and every seed cut at every point. */
    @Test
    void everyPrefixOfEverySeed() {
        List<String> inputs = new ArrayList<>();
        for (String seed : SEEDS) {
            for (int i = 0; i <= seed.length(); i++) {
                inputs.add(seed.substring(0, i));
                inputs.add(seed.substring(i));
            }
        }
        for (String input : inputs) {
            check(input);
        }
    }
}
