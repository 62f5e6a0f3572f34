package jqmail.queue.daemon;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import jqmail.common.Dates;
import jqmail.common.Identities;

/**
 * qmail-queue's own trace line, byte for byte:
 * {@code Received: (qmail 4242 invoked by uid 1000); 26 Sep 1995 04:46:54 -0000}.
 * The wording names where the message came from when the submitting uid is
 * one of the home's own accounts (from network, by alias, for bounce).
 */
final class ReceivedLine {
    private ReceivedLine() {
    }

    static byte[] format(long pid, int uid, Identities ids, ZonedDateTime now) {
        Identities.Role role = ids.roleOf(uid);
        String how;
        if (role == Identities.Role.SMTPD) {
            how = "invoked from network";
        } else if (role == Identities.Role.ALIAS) {
            how = "invoked by alias";
        } else if (role == Identities.Role.SEND) {
            how = "invoked for bounce";
        } else {
            how = "invoked by uid " + Integer.toUnsignedString(uid);
        }
        String line = "Received: (qmail " + pid + " " + how + "); "
            + Dates.qmail(now.toInstant()) + "\n";
        return line.getBytes(StandardCharsets.US_ASCII);
    }
}
