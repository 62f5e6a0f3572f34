package jqmail.common;

import java.nio.charset.StandardCharsets;

/**
 * An envelope address as qmail stores it: {@code local@domain}, the empty
 * address of a bounce sender, or anything else up to {@link #MAX_LENGTH}
 * bytes. It cannot hold CR, LF or NUL, so no writer downstream (SMTP
 * command, envelope record, log line) ever needs to escape one.
 *
 * @param value the address, one char per byte (ISO-8859-1)
 */
public record Address(String value) {
    /** qmail-queue's limit: 1003 bytes including the record's NUL. */
    public static final int MAX_LENGTH = 1002;

    public static final Address NULL_SENDER = new Address("");

    public Address {
        if (value == null) {
            throw new IllegalArgumentException("address is null");
        }
        if (value.length() > MAX_LENGTH) {
            throw new InvalidAddressException(InvalidAddressException.Reason.TOO_LONG,
                "address longer than " + MAX_LENGTH + " bytes");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new InvalidAddressException(InvalidAddressException.Reason.FORBIDDEN_BYTE,
                    "address contains CR, LF or NUL");
            }
            if (c > 0xff) {
                throw new IllegalArgumentException("address is not a byte string");
            }
        }
    }

    /** Builds an address from raw bytes (no charset interpretation). */
    public static Address ofBytes(byte[] bytes, int offset, int length) {
        return new Address(new String(bytes, offset, length, StandardCharsets.ISO_8859_1));
    }

    public byte[] bytes() {
        return value.getBytes(StandardCharsets.ISO_8859_1);
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    /** The part after the last {@code @} of {@code address}, lower-cased: what mail is routed and grouped by. */
    public static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
    }

    /** The part after the last {@code @}, or "" when there is none. */
    public String domain() {
        int at = value.lastIndexOf('@');
        return at < 0 ? "" : value.substring(at + 1);
    }

    /** The part before the last {@code @}, or the whole address. */
    public String local() {
        int at = value.lastIndexOf('@');
        return at < 0 ? value : value.substring(0, at);
    }

    /** For logs and listings: bytes below 33 or above 126 become {@code _}, as qmail-qread does. */
    public String printable() {
        return Printable.word(value, '_', Integer.MAX_VALUE);
    }

    @Override
    public String toString() {
        return value;
    }
}
