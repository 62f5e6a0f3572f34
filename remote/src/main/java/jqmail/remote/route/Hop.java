package jqmail.remote.route;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One address to try for a domain. {@code host} is the name the address was
 * found under (the MX, the smtproutes relay, or an address literal as
 * written), for TLS name checks and for the log; {@code smarthost} says the
 * hop came from control/smtproutes rather than from the domain's own DNS.
 */
public record Hop(String host, InetAddress address, int port, boolean smarthost) {
    public static final int SMTP_PORT = 25;

    public Hop {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(address, "address");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    @Override
    public String toString() {
        String a = address.getHostAddress();
        return host + " " + (a.indexOf(':') >= 0 ? "[" + a + "]" : a) + ":" + port + (smarthost ? " (smtproutes)" : "");
    }
}
