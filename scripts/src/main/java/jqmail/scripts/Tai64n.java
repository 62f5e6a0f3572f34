package jqmail.scripts;

import java.time.Instant;

/** multilog's timestamps: {@code @} and 24 hex digits of TAI64N, so qmail's log tools read our logs. */
final class Tai64n {
    /** 2^62 + 10: TAI64's label for the Unix epoch as daemontools computes it. */
    private static final long EPOCH = 0x400000000000000aL;

    private Tai64n() {
    }

    static String format(Instant t) {
        return String.format("@%016x%08x", EPOCH + t.getEpochSecond(), t.getNano());
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
