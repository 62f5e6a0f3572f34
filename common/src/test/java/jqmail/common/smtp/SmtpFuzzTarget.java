package jqmail.common.smtp;

import java.io.IOException;

/**
 * The Jazzer target: {@code scripts/fuzz} runs it, replaying
 * common/src/test/fuzz/smtp, or fuzzing for longer with JAZZER_FUZZ=1.
 */
public final class SmtpFuzzTarget {
    private SmtpFuzzTarget() {
    }

    public static void fuzzerTestOneInput(byte[] data) throws IOException {
        SmtpFuzz.one(data);
    }
}
