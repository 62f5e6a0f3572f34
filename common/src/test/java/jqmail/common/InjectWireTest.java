package jqmail.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InjectWireTest {
    private static InjectResult parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return InjectWire.parseReply(b, b.length);
    }

    @Test
    void replyRoundTrip() {
        byte[] b = InjectWire.reply(0, "ok 123");
        assertEquals("0 ok 123\n", new String(b, StandardCharsets.UTF_8));
        assertEquals(new InjectResult(0, "ok 123"), InjectWire.parseReply(b, b.length));
    }

    @Test
    void replyTextCannotSplitIntoTwoLines() {
        String s = new String(InjectWire.reply(53, "disk\nfull\r"), StandardCharsets.UTF_8);
        assertEquals("53 disk full \n", s);
    }

    @Test
    void longRepliesAreCutToOneLine() {
        byte[] b = InjectWire.reply(71, "x".repeat(5000));
        assertEquals(InjectWire.MAX_REPLY, b.length);
        assertEquals('\n', b[b.length - 1]);
    }

    @Test
    void malformedRepliesAreFailuresNeverSuccess() {
        for (String s : new String[] {"", "ok", "-1 x", "0000 x", " 0 x", "abc"}) {
            InjectResult r = parse(s);
            assertFalse(r.ok(), s);
            assertEquals(QueueExit.DAEMON_FAILED.code(), r.code());
        }
        assertTrue(parse("11 too long").permanent());
    }
}
