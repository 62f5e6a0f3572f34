package jqmail.common.smtp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A seeded random fuzz of the SMTP command and address parsers with a
 * fixed budget (inputs, not seconds, so a run is the same everywhere):
 * sessions assembled from SMTP's own pieces and random bytes.
 * scripts/fuzz runs the Jazzer target for longer.
 */
class SmtpFuzzTest {
    static final int INPUTS = 3000;
    static final String[] PIECES = {"EHLO ", "HELO ", "MAIL FROM:", "RCPT TO:", "DATA", "RSET", "NOOP", "QUIT",
        "VRFY ", "HELP", "<", ">", "<>", "@", ".", "..", "\r\n", "\n", "\r", "\0", " ", "SIZE=", "BODY=8BITMIME",
        "postmaster", "alice@fuzz.example", "[127.0.0.1]", "[IPv6:::1]", "\"q\\\"uoted\"", "\u00e9", "\u00ff",
        "=", ":", "-", "Received: x\r\n", "\r\n.\r\n", "\n.\n", "\r.\r\n"};

    static byte[] input(Random r) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int parts = 1 + r.nextInt(60);
        for (int i = 0; i < parts; i++) {
            switch (r.nextInt(10)) {
                case 0 -> {
                    byte[] junk = new byte[r.nextInt(40)];
                    r.nextBytes(junk);
                    b.writeBytes(junk);
                }
                case 1 -> b.writeBytes("A".repeat(r.nextInt(3000)).getBytes(StandardCharsets.US_ASCII));
                default -> b.writeBytes(PIECES[r.nextInt(PIECES.length)].getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        return b.toByteArray();
    }

    @Test
    void parsersHandleAnythingTheyAreGiven() throws Exception {
        Random r = new Random(20261122);
        int longest = 0;
        for (int i = 0; i < INPUTS; i++) {
            byte[] in = input(r);
            longest = Math.max(longest, in.length);
            SmtpFuzz.one(in);
        }
        assertTrue(longest > SmtpIo.MAX_LINE, "the inputs reach past the line limit");
    }
}
