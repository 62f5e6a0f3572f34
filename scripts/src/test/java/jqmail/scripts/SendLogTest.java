package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jqmail.scripts.SendLog.Channel;
import jqmail.scripts.SendLog.Outcome;
import org.junit.jupiter.api.Test;

/** qmail-log(5)'s lines as qmail-send (jqmail's and qmail's) writes them, and what is junk. */
class SendLogTest {
    @Test
    void eachLineOfTheVocabulary() {
        assertEquals(new SendLog.NewMsg(1795329854123456L), SendLog.parse("new msg 1795329854123456"));
        assertEquals(new SendLog.InfoMsg(7, 2100, "a@example.org"),
            SendLog.parse("info msg 7: bytes 2100 from <a@example.org> uid 1000"));
        assertEquals(new SendLog.InfoMsg(7, 2100, "a@example.org"),
            SendLog.parse("info msg 7: bytes 2100 from <a@example.org> qp 31 uid 1000"), "qmail's, with qp");
        assertEquals(new SendLog.InfoMsg(8, 900, ""), SendLog.parse("info msg 8: bytes 900 from <> uid 0"));
        assertEquals(new SendLog.InfoMsg(9, 1, "odd> uid 5"), SendLog.parse("info msg 9: bytes 1 from <odd> uid 5> uid 6"));
        assertEquals(new SendLog.Starting(12, 7, Channel.REMOTE, "bob@remote.example"),
            SendLog.parse("starting delivery 12: msg 7 to remote bob@remote.example"));
        assertEquals(new SendLog.Result(12, Outcome.DEFERRAL, "Connected to 192.0.2.7 but connection died. (#4.4.2)/"),
            SendLog.parse("delivery 12: deferral: Connected to 192.0.2.7 but connection died. (#4.4.2)/"));
        assertEquals(new SendLog.Result(3, Outcome.SUCCESS, ""), SendLog.parse("delivery 3: success: "));
        assertEquals(new SendLog.Bounce(7), SendLog.parse("bounce msg 7 qp 8"));
        assertEquals(new SendLog.End(7), SendLog.parse("end msg 7"));
        assertEquals(new SendLog.TripleBounce(), SendLog.parse("triple bounce: discarding bounce/7"));
        assertEquals(new SendLog.Other(), SendLog.parse("status: local 0/10 remote 0/20"));
        assertEquals(new SendLog.Other(), SendLog.parse("alert: unable to checkpoint msg 7"));
    }

    @Test
    void linesThatClaimTheVocabularyButDoNotFitAreJunk() {
        for (String junk : new String[] {"new msg", "new msg -1", "new msg 01", "new msg 1 2", "end msg 1234567890123456789",
            "info msg 7: bytes 12 from a@b uid 1", "info msg 7: bytes -1 from <a@b> uid 1",
            "starting delivery 1: msg 2 to local ", "starting delivery 1: msg 2 to elsewhere a@b",
            "starting delivery 1: msg 2 to local " + "a".repeat(1101), "delivery 1: maybe: text", "delivery : success: x",
            "bounce msg x", "bounce msg 7 qp " + "9".repeat(101)}) {
            assertNull(SendLog.parse(junk), junk);
        }
    }
}
