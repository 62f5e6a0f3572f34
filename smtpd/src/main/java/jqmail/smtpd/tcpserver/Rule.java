package jqmail.smtpd.tcpserver;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of a tcprules file: {@code address:allow|deny[,VAR="value"]...}
 * (the character after {@code =} is the value's delimiter, as in tcprules).
 *
 * <p>Addresses: an IPv4 address {@code 1.2.3.4}, a prefix ending in a dot
 * {@code 1.2.}, a range in one component {@code 1.2.3.10-20} or
 * {@code 1.2.10-20.} (expanded into separate keys, as tcprules does), CIDR
 * {@code 10.0.0.0/8} or {@code 2001:db8::/32} (keys {@code _bits} and
 * {@code ^bits}, as ucspi-tcp6 writes them), an IPv6 address in compact form
 * {@code 2001:db8::1}, the empty address (everyone else), and tcprules'
 * {@code =host} and {@code info@} forms, which never match here because
 * tcpserver looks up neither reverse DNS nor ident.
 *
 * @param keys the cdb keys this line stands for
 * @param data the cdb data: "D" for deny, else "+VAR=value" entries, each NUL-terminated
 */
record Rule(List<String> keys, byte[] data) {
    /** A line that is not a rule; the message says why. */
    static final class BadRule extends Exception {
        BadRule(String message) {
            super(message);
        }
    }

    static Rule parse(String line) throws BadRule {
        int split = instruction(line, ":allow");
        int deny = instruction(line, ":deny");
        if (split < 0 || deny >= 0 && deny < split) {
            split = deny;
        }
        if (split < 0) {
            throw new BadRule("no :allow or :deny");
        }
        String address = line.substring(0, split);
        boolean denied = line.startsWith(":deny", split);
        String rest = line.substring(split + (denied ? 5 : 6));
        StringBuilder data = new StringBuilder();
        if (denied) {
            data.append("D\0");
        }
        for (Map.Entry<String, String> v : variables(rest).entrySet()) {
            data.append('+').append(v.getKey()).append('=').append(v.getValue()).append('\0');
        }
        return new Rule(keys(address), data.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Where {@code word} starts as the instruction: followed by a comma or the line's end. */
    private static int instruction(String line, String word) {
        for (int i = line.indexOf(word); i >= 0; i = line.indexOf(word, i + 1)) {
            int end = i + word.length();
            if (end == line.length() || line.charAt(end) == ',') {
                return i;
            }
        }
        return -1;
    }

    private static Map<String, String> variables(String rest) throws BadRule {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        while (i < rest.length()) {
            if (rest.charAt(i) != ',') {
                throw new BadRule("expected ',' before a variable");
            }
            int eq = rest.indexOf('=', i + 1);
            if (eq < 0 || eq + 1 >= rest.length()) {
                throw new BadRule("variable without =value");
            }
            String name = rest.substring(i + 1, eq);
            if (name.isEmpty() || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new BadRule("bad variable name " + name);
            }
            char delim = rest.charAt(eq + 1);
            int close = rest.indexOf(delim, eq + 2);
            if (close < 0) {
                throw new BadRule("value of " + name + " not closed by " + delim);
            }
            String value = rest.substring(eq + 2, close);
            if (value.indexOf('\0') >= 0 || value.indexOf('\n') >= 0) {
                throw new BadRule("value of " + name + " holds NUL or LF");
            }
            out.put(name, value);
            i = close + 1;
        }
        return out;
    }

    private static List<String> keys(String a) throws BadRule {
        if (a.isEmpty() || a.startsWith("=") || a.indexOf('@') >= 0) {
            return List.of(a);
        }
        int slash = a.indexOf('/');
        if (slash >= 0) {
            return List.of(cidr(a.substring(0, slash), a.substring(slash + 1)));
        }
        if (a.indexOf(':') >= 0) {
            return List.of(canonical(parse6(a)));
        }
        if (!a.matches("[0-9.\\-]+")) {
            throw new BadRule("bad address " + a);
        }
        return expandRange(a);
    }

    /** {@code 1.2.3.10-12} → 1.2.3.10, 1.2.3.11, 1.2.3.12 (one range, in one component). */
    private static List<String> expandRange(String a) throws BadRule {
        String[] parts = a.split("\\.", -1);
        List<String> out = new ArrayList<>();
        int ranged = -1;
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].indexOf('-') >= 0) {
                if (ranged >= 0) {
                    throw new BadRule("more than one range in " + a);
                }
                ranged = i;
            }
        }
        if (ranged < 0) {
            return List.of(a);
        }
        String[] r = parts[ranged].split("-", -1);
        int lo;
        int hi;
        try {
            lo = Integer.parseInt(r[0]);
            hi = Integer.parseInt(r[1]);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new BadRule("bad range in " + a);
        }
        if (r.length != 2 || lo > hi || hi > 255) {
            throw new BadRule("bad range in " + a);
        }
        for (int n = lo; n <= hi; n++) {
            parts[ranged] = Integer.toString(n);
            out.add(String.join(".", parts));
        }
        return out;
    }

    private static String cidr(String address, String bits) throws BadRule {
        int n;
        try {
            n = Integer.parseInt(bits);
        } catch (NumberFormatException e) {
            throw new BadRule("bad prefix length /" + bits);
        }
        InetAddress ip = address.indexOf(':') >= 0 ? parse6(address) : parse4(address);
        int max = ip instanceof Inet4Address ? 32 : 128;
        if (n < 0 || n > max) {
            throw new BadRule("bad prefix length /" + bits);
        }
        return (ip instanceof Inet4Address ? "_" : "^") + bits(ip.getAddress(), n);
    }

    /** The first {@code n} bits of an address as '0' and '1' characters. */
    static String bits(byte[] address, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append((address[i / 8] >> (7 - i % 8) & 1) == 1 ? '1' : '0');
        }
        return b.toString();
    }

    private static InetAddress parse4(String a) throws BadRule {
        String padded = a.endsWith(".") ? a.substring(0, a.length() - 1) : a;
        String[] p = padded.split("\\.", -1);
        if (p.length > 4 || !padded.matches("[0-9.]+")) {
            throw new BadRule("bad IPv4 address " + a);
        }
        StringBuilder full = new StringBuilder(padded);
        for (int i = p.length; i < 4; i++) {
            full.append(".0");
        }
        return literal(full.toString());
    }

    static InetAddress parse6(String a) throws BadRule {
        if (!a.matches("[0-9A-Fa-f:.]+")) {
            throw new BadRule("bad IPv6 address " + a);
        }
        InetAddress ip = literal(a);
        if (!(ip instanceof Inet6Address)) {
            throw new BadRule("bad IPv6 address " + a);
        }
        return ip;
    }

    /** Digits, dots, colons and hex only: parsed, never looked up in DNS. */
    private static InetAddress literal(String a) throws BadRule {
        try {
            return InetAddress.getByName(a);
        } catch (UnknownHostException e) {
            throw new BadRule("bad address " + a);
        }
    }

    /** RFC 5952's compact form: lower case, the longest run of zero groups as "::". */
    static String canonical(InetAddress ip) {
        byte[] b = ip.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (b[2 * i] & 0xff) << 8 | b[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }
}
