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

    /**
     * The time in a log line's leading label ({@code @} and 24 hex digits,
     * then a space or the end), or null when the line has none: for reading
     * logs that anyone may have put junk into, where {@link #parse} would throw.
     */
    static Instant labelOf(String line) {
        if (line.length() < 25 || line.charAt(0) != '@' || line.length() > 25 && line.charAt(25) != ' ') {
            return null;
        }
        long secs = hexAt(line, 1, 16);
        long nanos = hexAt(line, 17, 8);
        // A label with its top bit set is no TAI64 time; one beyond Instant's range is junk too.
        if (secs < 0 || nanos < 0 || nanos > 999_999_999L) {
            return null;
        }
        long unix = secs - EPOCH;
        if (unix < Instant.MIN.getEpochSecond() || unix > Instant.MAX.getEpochSecond()) {
            return null;
        }
        return Instant.ofEpochSecond(unix, nanos);
    }

    /** The hex number at {@code at}; negative when a digit is not hex or the top bit is set. */
    private static long hexAt(String s, int at, int digits) {
        long v = 0;
        for (int i = at; i < at + digits; i++) {
            char c = s.charAt(i);
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0 || i == at && digits == 16 && d > 7) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }
}
