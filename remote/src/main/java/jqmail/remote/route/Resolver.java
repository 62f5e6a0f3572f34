package jqmail.remote.route;

import java.net.InetAddress;
import java.util.List;

/**
 * The DNS questions routing asks. {@link DnsResolver} asks real servers;
 * tests answer from a table.
 */
public interface Resolver {
    /**
     * The domain's MX records as published, in any order. An empty list
     * means the domain exists but has none (RFC 5321's implicit MX applies).
     * A null MX (RFC 7505: one record, exchange ".") is a permanent failure;
     * so is a domain that does not exist.
     */
    List<Mx> mx(String domain) throws RouteFailure;

    /**
     * The host's AAAA and A addresses, IPv6 first, each family in the order
     * DNS gave; empty when the name exists without addresses. A name that
     * does not exist is a permanent failure.
     */
    List<InetAddress> addresses(String host) throws RouteFailure;

    /** One MX record; {@code host} without the final dot, "." for the root. */
    record Mx(int preference, String host) {
        public static final String ROOT = ".";

        public Mx {
            if (preference < 0 || preference > 65535) {
                throw new IllegalArgumentException("MX preference out of range: " + preference);
            }
            if (host == null || host.isEmpty()) {
                throw new IllegalArgumentException("MX without an exchange");
            }
        }

        /** An exchange of "." names no host: RFC 7505's "no service". */
        public boolean isNull() {
            return host.equals(ROOT);
        }
    }
}
