package jqmail.common;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * qmail-send's recipient rewriting: decides whether an envelope recipient is
 * delivered locally or remotely, and rewrites virtual-domain addresses to
 * {@code prepend-address}. Reads {@code control/locals} (default: {@code me}),
 * {@code control/virtualdomains} and {@code control/envnoathost} (default:
 * {@code me}).
 *
 * <p>Order, as qmail: an address without {@code @} gets {@code @envnoathost};
 * a domain in locals (case-insensitive) is local and unchanged; then
 * virtualdomains is probed with the whole address, the exact domain, its
 * {@code .suffix} wildcards from longest to shortest, and the catch-all
 * {@code :prepend}. The first hit wins; an empty prepend means "not
 * virtual" (remote).
 */
public final class Routing {
    /** Where a recipient goes. */
    public enum Channel { LOCAL, REMOTE }

    /** A routed recipient: its channel and the address to deliver to. */
    public record Route(Channel channel, String address) {
    }

    private final List<String> locals;
    private final List<String[]> virtualDomains;
    private final String envNoAtHost;

    public Routing(List<String> locals, List<String[]> virtualDomains, String envNoAtHost) {
        List<String> l = new ArrayList<>(locals.size());
        for (String s : locals) {
            l.add(s.toLowerCase(Locale.ROOT));
        }
        this.locals = l;
        this.virtualDomains = virtualDomains;
        this.envNoAtHost = envNoAtHost;
    }

    public static Routing read(Control c) throws IOException {
        String me = c.me();
        List<String> locals = c.exists("locals") ? c.list("locals") : List.of(me);
        List<String[]> vd = new ArrayList<>();
        for (String line : c.list("virtualdomains")) {
            int colon = line.indexOf(':');
            if (colon >= 0) {
                vd.add(new String[] {line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1)});
            }
        }
        return new Routing(locals, vd, c.line("envnoathost", me));
    }

    public Route route(String address) {
        String a = address.indexOf('@') < 0 ? address + "@" + envNoAtHost : address;
        int at = a.lastIndexOf('@');
        String domain = a.substring(at + 1).toLowerCase(Locale.ROOT);
        if (locals.contains(domain)) {
            return new Route(Channel.LOCAL, a);
        }
        String prepend = virtualPrepend(a);
        if (prepend == null) {
            return new Route(Channel.REMOTE, a);
        }
        return new Route(Channel.LOCAL, prepend + "-" + a);
    }

    /** Whether mail for this domain is delivered here (control/locals). */
    public boolean isLocal(String domain) {
        return locals.contains(domain.toLowerCase(Locale.ROOT));
    }

    /** The domains named in locals and, with a prepend, in virtualdomains: the default rcpthosts. */
    public List<String> ownDomains() {
        List<String> out = new ArrayList<>(locals);
        for (String[] v : virtualDomains) {
            if (!v[0].isEmpty() && v[0].indexOf('@') < 0 && !v[1].isEmpty()) {
                out.add(v[0]);
            }
        }
        return out;
    }

    /**
     * The virtualdomains prepend for {@code user@domain}, probed as qmail-send
     * does; null when the address is not virtual (no hit, or an empty prepend).
     */
    public String virtualPrepend(String address) {
        String a = address.toLowerCase(Locale.ROOT);
        String domain = a.substring(a.lastIndexOf('@') + 1);
        String hit = lookupChain(a, domain);
        return hit == null || hit.isEmpty() ? null : hit;
    }

    private String lookupChain(String address, String domain) {
        String hit = lookup(address);
        if (hit != null) {
            return hit;
        }
        hit = lookup(domain);
        if (hit != null) {
            return hit;
        }
        for (int i = domain.indexOf('.'); i >= 0; i = domain.indexOf('.', i + 1)) {
            hit = lookup(domain.substring(i));
            if (hit != null) {
                return hit;
            }
        }
        return lookup("");
    }

    private String lookup(String key) {
        for (String[] e : virtualDomains) {
            if (e[0].equals(key)) {
                return e[1];
            }
        }
        return null;
    }
}
