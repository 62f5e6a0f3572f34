package jqmail.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which state files fsck calls damaged: never one the scheduler writes, always one it cannot have written whole. */
class StateFormatTest {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void infoAsTheSchedulerWritesItIsSound() {
        assertNull(StateFormat.INFO.problem(b("u1000\0Falice@example.org\0")));
        assertNull(StateFormat.INFO.problem(b("u0\0F\0")), "a bounce's empty sender");
        assertNull(StateFormat.INFO.problem(b("u-1\0F#@[]\0")), "an unknown uid is written as -1");
    }

    @Test
    void infoThatTheSchedulerWouldDiscardIsDamaged() {
        assertEquals("empty", StateFormat.INFO.problem(b("")));
        assertEquals("cut off: its last record has no NUL", StateFormat.INFO.problem(b("u1000\0Falice@exa")));
        assertEquals("no sender record", StateFormat.INFO.problem(b("u1000\0")));
        assertEquals("more than one sender record", StateFormat.INFO.problem(b("Fa@b\0Fc@d\0")));
        assertEquals("a record that is neither u<uid> nor F<sender>", StateFormat.INFO.problem(b("uabc\0Fa@b\0")));
        assertEquals("a record that is neither u<uid> nor F<sender>", StateFormat.INFO.problem(b("garbage\0")));
    }

    @Test
    void channelRecordsAreTOrDWithAnAddress() {
        assertNull(StateFormat.CHANNEL.problem(b("Tcarol@test.example\0Dbob@test.example\0")));
        assertNull(StateFormat.CHANNEL.problem(b("Dcarol@test.example\0")), "all done, removal cut off");
        assertEquals("empty", StateFormat.CHANNEL.problem(b("")));
        assertEquals("cut off: its last record has no NUL", StateFormat.CHANNEL.problem(b("Ta@b\0Tc@")));
        assertEquals("a record that is not T<recipient> or D<recipient>", StateFormat.CHANNEL.problem(b("Xa@b\0")));
        assertEquals("a record that is not T<recipient> or D<recipient>", StateFormat.CHANNEL.problem(b("Ta@b\0T\0")));
    }

    @Test
    void bounceRecordsAreAnAddressLineThenTextThenAnEmptyLine() {
        assertNull(StateFormat.BOUNCE.problem(b("<a@b>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n")));
        assertNull(StateFormat.BOUNCE.problem(b("<a@b>:\nline one\n/\nline three\n\n<c@d>:\nno\n\n")),
            "an empty line inside a text is written /");
        assertNull(StateFormat.BOUNCE.problem(b("<a@b>:\n\n\n<c@d>:\nno\n\n")), "an empty text");
        assertEquals("empty", StateFormat.BOUNCE.problem(b("")));
        assertEquals("cut off: it does not end with an empty line", StateFormat.BOUNCE.problem(b("<a@b>:\nSorry")));
        assertEquals("a failure that does not begin with <address>:",
            StateFormat.BOUNCE.problem(b("<a@b>:\nno\n\ngarbage\n\n")));
    }
}
