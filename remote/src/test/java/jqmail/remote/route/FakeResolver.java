package jqmail.remote.route;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DNS from a table; a name it does not know does not exist (NXDOMAIN).
 * Records every question. A null MX comes back as a record rather than as
 * DnsResolver's failure, so that the Router's own check is what is tested.
 */
final class FakeResolver implements Resolver {
    private final Map<String, List<Mx>> mx = new HashMap<>();
    private final Map<String, List<InetAddress>> addresses = new HashMap<>();
    private final Map<String, RouteFailure> failures = new HashMap<>();
    final List<String> asked = new ArrayList<>();

    FakeResolver withMx(String domain, Object... preferenceHostPairs) {
        List<Mx> l = new ArrayList<>();
        for (int i = 0; i < preferenceHostPairs.length; i += 2) {
            l.add(new Mx((Integer) preferenceHostPairs[i], (String) preferenceHostPairs[i + 1]));
        }
        mx.put(domain, l);
        return this;
    }

    FakeResolver withHost(String name, String... ips) {
        List<InetAddress> l = new ArrayList<>();
        for (String ip : ips) {
            l.add(ip(ip));
        }
        addresses.put(name, l);
        return this;
    }

    /** Every question about {@code name} ("MX name" or "A name") fails so. */
    FakeResolver failing(String question, RouteFailure f) {
        failures.put(question, f);
        return this;
    }

    @Override
    public List<Mx> mx(String domain) throws RouteFailure {
        return answer("MX " + domain, mx.get(domain), addresses.containsKey(domain), domain);
    }

    @Override
    public List<InetAddress> addresses(String host) throws RouteFailure {
        return answer("A " + host, addresses.get(host), mx.containsKey(host), host);
    }

    private <T> List<T> answer(String question, List<T> found, boolean nameExists, String name) throws RouteFailure {
        asked.add(question);
        RouteFailure f = failures.get(question);
        if (f != null) {
            throw f;
        }
        if (found != null) {
            return found;
        }
        if (nameExists) {
            return List.of();
        }
        throw RouteFailure.hostNotFound(name);
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByAddress(InetAddress.getByName(literal).getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
