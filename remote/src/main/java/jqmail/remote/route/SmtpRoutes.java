package jqmail.remote.route;

import java.io.IOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jqmail.common.smtp.AddressLiteral;

/**
 * control/smtproutes, in qmail's syntax:
 *
 * <pre>
 * example.com:relay.example.net        mail for example.com goes to that relay, port 25
 * .example.com:relay.example.net:2525  mail for every subdomain of example.com (not example.com itself)
 * :smarthost.example.net               mail for every other domain (a smarthost)
 * example.org:                         example.org uses its MX records after all
 * example.net:[192.0.2.1]:587          a relay given as an address literal, or a bare 192.0.2.1
 * example.net:[IPv6:2001:db8::1]       an IPv6 literal (also written [2001:db8::1])
 * </pre>
 *
 * A domain is probed as qmail-remote does: the domain, then each of its
 * {@code .suffix}es from the longest, then the empty key. The first key
 * present decides, even when its relay is empty. Keys compare without regard
 * to case; a later line for the same key replaces an earlier one (qmail's
 * constmap); a line without a colon is ignored, as qmail ignores it. A relay
 * whose port or literal is malformed is an error naming the line: qmail
 * would quietly connect to port 0.
 */
final class SmtpRoutes {
    /** What smtproutes says about one domain. */
    sealed interface Route {
    }

    /** No line applies, or the line's relay is empty: the domain's own MX records. */
    record ViaMx() implements Route {
    }

    /** A relay: a host name to look up, or an address ({@code literal} not null) to use as it is. */
    record ViaRelay(String host, InetAddress literal, int port) implements Route {
    }

    private static final Route VIA_MX = new ViaMx();

    private final Map<String, Route> routes;

    private SmtpRoutes(Map<String, Route> routes) {
        this.routes = routes;
    }

    static SmtpRoutes parse(List<String> lines) throws IOException {
        Map<String, Route> routes = new HashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            routes.put(line.substring(0, colon).toLowerCase(Locale.ROOT), relay(line.substring(colon + 1), line));
        }
        return new SmtpRoutes(routes);
    }

    Route lookup(String domain) {
        Route r = DomainKeys.lookup(routes, domain);
        return r == null ? VIA_MX : r;
    }

    private static Route relay(String value, String line) throws IOException {
        if (value.isEmpty()) {
            return VIA_MX;
        }
        String host;
        String rest;
        if (value.charAt(0) == '[') {
            int close = value.indexOf(']');
            if (close < 0) {
                throw bad(line, "no ] after [");
            }
            host = value.substring(0, close + 1);
            rest = value.substring(close + 1);
            if (!rest.isEmpty() && rest.charAt(0) != ':') {
                throw bad(line, "text after ]");
            }
        } else {
            int colon = value.indexOf(':');
            host = colon < 0 ? value : value.substring(0, colon);
            rest = colon < 0 ? "" : value.substring(colon);
            if (host.isEmpty()) {
                throw bad(line, "a port without a relay");
            }
        }
        int port = rest.isEmpty() ? Hop.SMTP_PORT : port(rest.substring(1), line);
        InetAddress literal = literal(host);
        if (host.charAt(0) == '[' && literal == null) {
            throw bad(line, "not an address literal: " + host);
        }
        return new ViaRelay(host, literal, port);
    }

    /** {@code [192.0.2.1]}, {@code [IPv6:2001:db8::1]}, {@code [2001:db8::1]} or a bare dotted quad; else null. */
    static InetAddress literal(String s) {
        if (s.isEmpty()) {
            return null;
        }
        if (s.charAt(0) != '[') {
            return s.indexOf(':') < 0 ? AddressLiteral.parse("[" + s + "]") : null;
        }
        InetAddress a = AddressLiteral.parse(s);
        if (a == null && s.indexOf(':') >= 0 && !s.regionMatches(true, 1, "IPv6:", 0, 5)) {
            a = AddressLiteral.parse("[IPv6:" + s.substring(1));
        }
        return a;
    }

    private static int port(String s, String line) throws IOException {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw bad(line, "not a port: " + s);
        }
        int p = Integer.parseInt(s);
        if (p < 1 || p > 65535) {
            throw bad(line, "port out of range: " + s);
        }
        return p;
    }

    private static IOException bad(String line, String why) {
        return new IOException("control/smtproutes: " + why + ": " + line);
    }
}
