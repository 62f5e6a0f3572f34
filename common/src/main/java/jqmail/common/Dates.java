package jqmail.common;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * qmail's trace-line date, always in UTC: {@code 26 Sep 1995 04:46:54 -0000}.
 * Formatted by hand: java.time's formatter costs a per-message program
 * several milliseconds to set up.
 */
public final class Dates {
    private static final String[] MONTHS =
        {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private Dates() {
    }

    public static String qmail(Instant t) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(26);
        b.append(d.getDayOfMonth()).append(' ').append(MONTHS[d.getMonthValue() - 1]).append(' ').append(d.getYear())
            .append(' ');
        two(b, d.getHour()).append(':');
        two(b, d.getMinute()).append(':');
        two(b, d.getSecond()).append(" -0000");
        return b.toString();
    }

    /** {@code yyyyMMddHHmmss} in UTC, for Message-IDs. */
    public static String compact(Instant t) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(14).append(d.getYear());
        two(b, d.getMonthValue());
        two(b, d.getDayOfMonth());
        two(b, d.getHour());
        two(b, d.getMinute());
        return two(b, d.getSecond()).toString();
    }

    private static StringBuilder two(StringBuilder b, int n) {
        return b.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }
}
