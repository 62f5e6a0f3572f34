package jqmail.common.smtp;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the argument of MAIL and RCPT: {@code FROM:<path> params} and
 * {@code TO:<path> params} (RFC 5321 §4.1.2, with the leniency real clients
 * need: spaces after the colon, a path without angle brackets, a source
 * route, which is dropped). The mailbox is checked: a dot-string or quoted
 * local part, then a domain name or an address literal ({@code [192.0.2.1]},
 * {@code [IPv6:2001:db8::1]}); no control bytes, no 8-bit bytes (SMTPUTF8
 * is not offered), at most {@link #MAX_PATH} bytes. Quotes and backslashes
 * are removed from the local part, as qmail-smtpd does. {@code <postmaster>}
 * without a domain is accepted for RCPT, in any case.
 */
public final class SmtpPath {
    /** qmail-smtpd's limit on an envelope address. */
    public static final int MAX_PATH = 900;
    private static final int MAX_PARAMS = 10;

    /** A parsed path: the address ("" for the null sender) and its parameters, keys upper-cased. */
    public record Parsed(String address, Map<String, String> params) {
    }

    /** Why a path was refused; {@link #reply()} is what the client is told. */
    public static final class Invalid extends Exception {
        private final Reply reply;

        Invalid(Reply reply, String message) {
            super(message);
            this.reply = reply;
        }

        public Reply reply() {
            return reply;
        }
    }

    private SmtpPath() {
    }

    /**
     * @param argument the text after the verb, e.g. {@code FROM:<a@b> SIZE=10}
     * @param keyword  {@code FROM} or {@code TO}
     */
    public static Parsed parse(String argument, String keyword) throws Invalid {
        String a = argument.strip();
        if (a.length() < keyword.length() + 1
            || !a.regionMatches(true, 0, keyword, 0, keyword.length())
            || a.charAt(keyword.length()) != ':') {
            throw new Invalid(Reply.SYNTAX, "expected " + keyword + ":");
        }
        int i = keyword.length() + 1;
        while (i < a.length() && a.charAt(i) == ' ') {
            i++;
        }
        String path;
        String rest;
        if (i < a.length() && a.charAt(i) == '<') {
            int end = closingBracket(a, i + 1);
            path = a.substring(i + 1, end);
            rest = a.substring(end + 1);
            if (!rest.isEmpty() && rest.charAt(0) != ' ') {
                throw new Invalid(Reply.SYNTAX, "text after the path");
            }
        } else {
            int sp = a.indexOf(' ', i);
            path = sp < 0 ? a.substring(i) : a.substring(i, sp);
            rest = sp < 0 ? "" : a.substring(sp);
        }
        String address = mailbox(stripRoute(path), keyword.equals("FROM"));
        return new Parsed(address, params(rest.strip()));
    }

    private static int closingBracket(String a, int from) throws Invalid {
        boolean quoted = false;
        for (int i = from; i < a.length(); i++) {
            char c = a.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        throw new Invalid(Reply.BAD_PATH, "no closing >");
    }

    /** {@code @a,@b:user@host} → {@code user@host}. */
    private static String stripRoute(String path) throws Invalid {
        if (!path.startsWith("@")) {
            return path;
        }
        int colon = path.indexOf(':');
        if (colon < 0) {
            throw new Invalid(Reply.BAD_PATH, "source route without ':'");
        }
        return path.substring(colon + 1);
    }

    private static String mailbox(String path, boolean sender) throws Invalid {
        if (path.isEmpty()) {
            if (sender) {
                return "";
            }
            throw new Invalid(Reply.BAD_PATH, "empty recipient");
        }
        if (path.length() > MAX_PATH) {
            throw new Invalid(Reply.BAD_PATH, "address too long");
        }
        StringBuilder local = new StringBuilder();
        int i = localPart(path, local);
        if (i == path.length()) {
            if (!sender && local.toString().equalsIgnoreCase("postmaster")) {
                return "postmaster";
            }
            throw new Invalid(Reply.BAD_PATH, "no domain");
        }
        if (path.charAt(i) != '@' || local.length() == 0) {
            throw new Invalid(Reply.BAD_PATH, "bad local part");
        }
        String domain = path.substring(i + 1);
        checkDomain(domain);
        return local + "@" + domain;
    }

    /** Reads the local part into {@code out}; returns the index after it. */
    private static int localPart(String p, StringBuilder out) throws Invalid {
        int i = 0;
        if (p.charAt(0) == '"') {
            for (i = 1; i < p.length(); i++) {
                char c = p.charAt(i);
                if (c == '"') {
                    return i + 1;
                }
                if (c == '\\') {
                    if (++i == p.length()) {
                        break;
                    }
                    c = p.charAt(i);
                }
                if (c < 32 || c > 126) {
                    throw new Invalid(Reply.BAD_PATH, "bad byte in quoted local part");
                }
                out.append(c);
            }
            throw new Invalid(Reply.BAD_PATH, "unterminated quoted local part");
        }
        for (; i < p.length() && p.charAt(i) != '@'; i++) {
            char c = p.charAt(i);
            if (!isAtext(c) && c != '.') {
                throw new Invalid(Reply.BAD_PATH, "bad byte in local part");
            }
            out.append(c);
        }
        return i;
    }

    private static boolean isAtext(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
            || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }

    static void checkDomain(String d) throws Invalid {
        if (d.startsWith("[") && d.endsWith("]")) {
            if (AddressLiteral.parse(d) == null) {
                throw new Invalid(Reply.BAD_PATH, "bad address literal");
            }
            return;
        }
        String name = d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
        if (name.isEmpty() || name.length() > 255) {
            throw new Invalid(Reply.BAD_PATH, "bad domain");
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                throw new Invalid(Reply.BAD_PATH, "bad domain label");
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_';
                if (!ok) {
                    throw new Invalid(Reply.BAD_PATH, "bad byte in domain");
                }
            }
        }
    }

    private static boolean isKeyword(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> params(String rest) throws Invalid {
        Map<String, String> out = new LinkedHashMap<>();
        if (rest.isEmpty()) {
            return out;
        }
        String[] tokens = rest.split(" +");
        if (tokens.length > MAX_PARAMS) {
            throw new Invalid(Reply.SYNTAX, "too many parameters");
        }
        for (String p : tokens) {
            int eq = p.indexOf('=');
            String key = (eq < 0 ? p : p.substring(0, eq)).toUpperCase(Locale.ROOT);
            String value = eq < 0 ? "" : p.substring(eq + 1);
            if (key.isEmpty() || !isKeyword(key)) {
                throw new Invalid(Reply.SYNTAX, "bad parameter");
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c <= 32 || c >= 127 || c == '=') {
                    throw new Invalid(Reply.SYNTAX, "bad parameter value");
                }
            }
            if (out.put(key, value) != null) {
                throw new Invalid(Reply.SYNTAX, "parameter " + key + " given twice");
            }
        }
        return out;
    }
}
