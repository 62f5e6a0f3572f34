package jqmail.common.smtp;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * RFC 5321 address literals: {@code [192.0.2.1]} and
 * {@code [IPv6:2001:db8::1]}, parsed without any DNS lookup.
 */
public final class AddressLiteral {
    private AddressLiteral() {
    }

    /** The address a literal names, or null when it is not a valid literal. */
    public static InetAddress parse(String literal) {
        if (literal.length() < 3 || literal.charAt(0) != '[' || literal.charAt(literal.length() - 1) != ']') {
            return null;
        }
        String inner = literal.substring(1, literal.length() - 1);
        if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
            String v6 = inner.substring(5);
            if (v6.isEmpty() || v6.length() > 45 || v6.indexOf(':') < 0 || !only(v6, "0123456789abcdefABCDEF:.")) {
                return null;
            }
            return literal(v6);
        }
        return isDottedQuad(inner) ? literal(inner) : null;
    }

    private static boolean only(String s, String allowed) {
        for (int i = 0; i < s.length(); i++) {
            if (allowed.indexOf(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Four decimal numbers 0-255 without leading zeros, joined by dots. */
    static boolean isDottedQuad(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !only(p, "0123456789") || p.length() > 1 && p.charAt(0) == '0'
                || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Only ever called on strings of digits, dots, colons and hex: InetAddress parses them, never resolves. */
    private static InetAddress literal(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }
}
