package jqmail.remote.smtp;

import jqmail.common.Address;

/**
 * An envelope address as the argument of MAIL FROM and RCPT TO (RFC 5321
 * §4.1.2): {@code <local@domain>}, the local part as a Quoted-string when it
 * is not a dot-atom ({@code <"john doe"@example.org>}, with '"' and '\'
 * escaped), and {@code <>} for the null sender. jqmail stores local parts
 * unquoted, as qmail does, so this is where the quotes come back. Going
 * through {@link Address} means no CR, LF or NUL ever reaches a command.
 */
final class MailPath {
    private MailPath() {
    }

    static String of(String address) {
        Address a = new Address(address);
        if (a.isEmpty()) {
            return "<>";
        }
        String v = a.value();
        int at = v.lastIndexOf('@');
        String local = at < 0 ? v : v.substring(0, at);
        String domain = at < 0 ? "" : v.substring(at);
        return "<" + (dotAtom(local) ? local : quoted(local)) + domain + ">";
    }

    static boolean dotAtom(String s) {
        if (s.isEmpty() || s.charAt(0) == '.' || s.charAt(s.length() - 1) == '.' || s.contains("..")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '.' && !atext(c)) {
                return false;
            }
        }
        return true;
    }

    /** RFC 5322 atext. */
    private static boolean atext(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
            || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }

    private static String quoted(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append('"').toString();
    }
}
