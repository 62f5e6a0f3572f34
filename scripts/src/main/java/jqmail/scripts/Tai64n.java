package jqmail.scripts;

import java.time.Instant;

/** multilog's timestamps: {@code @} and 24 hex digits of TAI64N, so qmail's log tools read our logs. */
final class Tai64n {
    /** 2^62 + 10: TAI64's label for the Unix epoch as daemontools computes it. */
    private static final long EPOCH = 0x400000000000000aL;

    private Tai64n() {
    }

    static String format(Instant t) {
        char[] c = new char[25];
        c[0] = '@';
        hex(c, 1, EPOCH + t.getEpochSecond(), 16);
        hex(c, 17, t.getNano(), 8);
        return new String(c);
    }

    private static void hex(char[] c, int at, long v, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            c[at + i] = Character.forDigit((int) (v & 0xf), 16);
            v >>>= 4;
        }
    }

    static Instant parse(String label) {
        if (label.length() != 25 || label.charAt(0) != '@') {
            throw new IllegalArgumentException("not a TAI64N label: " + label);
        }
        long secs = Long.parseUnsignedLong(label.substring(1, 17), 16) - EPOCH;
        long nanos = Long.parseLong(label.substring(17), 16);
        return Instant.ofEpochSecond(secs, nanos);
    }
}
