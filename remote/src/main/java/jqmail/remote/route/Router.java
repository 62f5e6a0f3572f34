package jqmail.remote.route;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import jqmail.common.Control;
import jqmail.remote.route.Resolver.Mx;
import jqmail.remote.route.SmtpRoutes.Route;
import jqmail.remote.route.SmtpRoutes.ViaRelay;

/**
 * Where mail for a domain goes: qmail-remote's choice of hosts, made once
 * per domain and shared by every recipient there.
 *
 * <ol>
 * <li>control/smtproutes (see {@link SmtpRoutes}): a relay is looked up for
 * its addresses only, never for MX records, as qmail does.
 * <li>An address literal ({@code [192.0.2.1]}, {@code [IPv6:...]}, or a bare
 * dotted quad, which qmail also takes) is that address.
 * <li>The MX records, by preference, in random order among equal
 * preferences (RFC 5321 §5.1, qmail), each exchange expanded to all its
 * addresses. An exchange that does not exist is skipped; one whose lookup
 * fails temporarily is skipped too, but if no hop is left at all the failure
 * is temporary, not "no mail exchanger" (qmail's flagsoft).
 * <li>No MX records: the domain's own addresses (the implicit MX).
 * </ol>
 *
 * A null MX (RFC 7505) fails permanently at once and never falls back to the
 * domain's addresses; a "." exchange next to real ones is ignored. An
 * address already listed under an earlier host is not tried twice. A host
 * that is this machine is not special: the caller decides about loops.
 *
 * <p>control/remoteipfamilies orders each host's addresses: {@code ipv6 ipv4}
 * (the default: IPv6 first, each family in the order DNS gave),
 * {@code ipv4 ipv6}, or one family alone to use only it. It applies to
 * addresses found in DNS, not to literals an administrator wrote.
 */
public final class Router {
    /** One line naming the address families to connect to, in order. */
    public static final String FAMILIES_FILE = "remoteipfamilies";

    private final SmtpRoutes routes;
    private final Resolver resolver;
    private final List<Family> families;

    enum Family {
        IPV6, IPV4;

        static Family of(InetAddress a) {
            return a instanceof Inet6Address ? IPV6 : IPV4;
        }
    }

    public Router(Control control, Resolver resolver) throws IOException {
        this.routes = SmtpRoutes.parse(control.list("smtproutes"));
        this.resolver = resolver;
        this.families = families(control.line("remoteipfamilies", "ipv6 ipv4"));   // FAMILIES_FILE
    }

    /** The hops to try for a recipient domain, in order; never empty. */
    public List<Hop> route(String domain) throws RouteFailure {
        String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        Route route = routes.lookup(d);
        if (route instanceof ViaRelay relay) {
            return relay(relay);
        }
        InetAddress literal = SmtpRoutes.literal(d);
        if (literal != null) {
            return List.of(hop(d, literal, Hop.SMTP_PORT, false));
        }
        return mx(d.toLowerCase(Locale.ROOT));
    }

    private List<Hop> relay(ViaRelay relay) throws RouteFailure {
        if (relay.literal() != null) {
            return List.of(hop(relay.host(), relay.literal(), relay.port(), true));
        }
        List<InetAddress> addresses;
        try {
            addresses = resolver.addresses(relay.host());
        } catch (RouteFailure f) {
            throw f.permanent() ? RouteFailure.relayNotFound(relay.host()) : f;
        }
        Map<InetAddress, Hop> hops = new LinkedHashMap<>();
        add(hops, relay.host(), addresses, relay.port(), true);
        if (hops.isEmpty()) {
            throw RouteFailure.relayNotFound(relay.host());
        }
        return List.copyOf(hops.values());
    }

    private List<Hop> mx(String domain) throws RouteFailure {
        List<Mx> exchangers = exchangers(domain, resolver.mx(domain));
        Map<InetAddress, Hop> hops = new LinkedHashMap<>();
        if (exchangers.isEmpty()) {
            add(hops, domain, resolver.addresses(domain), Hop.SMTP_PORT, false);
        }
        RouteFailure soft = null;
        for (Mx mx : exchangers) {
            try {
                add(hops, mx.host(), resolver.addresses(mx.host()), Hop.SMTP_PORT, false);
            } catch (RouteFailure f) {
                if (!f.permanent() && soft == null) {
                    soft = f;
                }
            }
        }
        if (hops.isEmpty()) {
            throw soft != null ? soft : RouteFailure.noMailExchanger();
        }
        return List.copyOf(hops.values());
    }

    /**
     * The usable MX records, lowest preference first and shuffled among
     * equals; a lone "." exchange is RFC 7505's null MX.
     */
    static List<Mx> exchangers(String domain, List<Mx> records) throws RouteFailure {
        if (records.size() == 1 && records.get(0).isNull()) {
            throw RouteFailure.nullMx(domain);
        }
        List<Mx> out = new ArrayList<>(records.size());
        for (Mx mx : records) {
            if (!mx.isNull()) {
                out.add(mx);
            }
        }
        Collections.shuffle(out, ThreadLocalRandom.current());
        out.sort(Comparator.comparingInt(Mx::preference)); // stable: equals keep the shuffled order
        return out;
    }

    private void add(Map<InetAddress, Hop> hops, String host, List<InetAddress> addresses, int port, boolean smarthost) {
        for (Family f : families) {
            for (InetAddress a : addresses) {
                if (Family.of(a) == f) {
                    hops.putIfAbsent(a, hop(host, a, port, smarthost));
                }
            }
        }
    }

    /**
     * The address carries the host's name, so that nothing downstream that
     * asks it for a name can start a reverse lookup.
     */
    private static Hop hop(String host, InetAddress a, int port, boolean smarthost) {
        try {
            return new Hop(host, InetAddress.getByAddress(host, a.getAddress()), port, smarthost);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + a.getAddress().length + " bytes", e);
        }
    }

    static List<Family> families(String line) throws IOException {
        List<Family> out = new ArrayList<>(2);
        for (String word : line.trim().split("[\\s,]+")) {
            Family f = switch (word.toLowerCase(Locale.ROOT)) {
                case "ipv6" -> Family.IPV6;
                case "ipv4" -> Family.IPV4;
                default -> throw new IOException("control/" + FAMILIES_FILE + ": not ipv6 or ipv4: " + word);
            };
            if (out.contains(f)) {
                throw new IOException("control/" + FAMILIES_FILE + ": " + word + " twice");
            }
            out.add(f);
        }
        return List.copyOf(out);
    }
}
