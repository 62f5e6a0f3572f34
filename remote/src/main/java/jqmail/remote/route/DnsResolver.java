package jqmail.remote.route;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jqmail.common.Control;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * DNS through dnsjava, asking recursive servers directly: control/dnsservers
 * (one server a line: {@code 192.0.2.53}, {@code 192.0.2.53:5353},
 * {@code 2001:db8::53} or {@code [2001:db8::53]:5353}; addresses only, since
 * finding a DNS server by name would need DNS), else the nameservers of
 * /etc/resolv.conf, else 127.0.0.1.
 *
 * <p>Each question goes to the servers in turn, {@value #TRIES} rounds, each
 * try waiting {@link #TIMEOUT}; a truncated answer is asked again over TCP.
 * A server that answers with an error (SERVFAIL, REFUSED ...) is not asked
 * again for that question, but the other servers are. NXDOMAIN is permanent;
 * everything that is not an answer is temporary. CNAMEs are followed, in
 * the answer and by asking again, at most {@value #MAX_CNAMES} deep. Names
 * are absolute: no search list, no ndots, as qmail's res_query. No
 * question ever asks for a PTR record.
 */
public final class DnsResolver implements Resolver {
    /** Lists the DNS servers to ask, overriding /etc/resolv.conf. */
    public static final String SERVERS_FILE = "dnsservers";
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final int TRIES = 3;
    static final int MAX_CNAMES = 8;

    private final List<SimpleResolver> servers;
    private final int tries;

    public DnsResolver(Control control) throws IOException {
        this(control, TIMEOUT, TRIES);
    }

    DnsResolver(Control control, Duration timeout, int tries) throws IOException {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String line : control.list("dnsservers")) {   // SERVERS_FILE, written out so showctl's test finds it
            addresses.add(server(line.strip()));
        }
        if (addresses.isEmpty()) {
            addresses.addAll(new ResolverConfig().servers());
        }
        if (addresses.isEmpty()) {
            addresses.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), SimpleResolver.DEFAULT_PORT));
        }
        List<SimpleResolver> s = new ArrayList<>(addresses.size());
        for (InetSocketAddress a : addresses) {
            SimpleResolver r = new SimpleResolver(a);
            r.setTimeout(timeout);
            s.add(r);
        }
        this.servers = List.copyOf(s);
        this.tries = tries;
    }

    @Override
    public List<Mx> mx(String domain) throws RouteFailure {
        List<Mx> out = new ArrayList<>();
        for (Record r : records(domain, Type.MX)) {
            MXRecord mx = (MXRecord) r;
            Name target = mx.getTarget();
            out.add(new Mx(mx.getPriority(), target.equals(Name.root) ? Mx.ROOT : target.toString(true)));
        }
        if (out.size() == 1 && out.get(0).isNull()) {
            throw RouteFailure.nullMx(domain);
        }
        return out;
    }

    @Override
    public List<InetAddress> addresses(String host) throws RouteFailure {
        List<InetAddress> out = new ArrayList<>();
        RouteFailure soft = null;
        for (int type : new int[] {Type.AAAA, Type.A}) {
            try {
                for (Record r : records(host, type)) {
                    InetAddress a = r instanceof AAAARecord v6 ? v6.getAddress() : ((ARecord) r).getAddress();
                    out.add(named(host, a));
                }
            } catch (RouteFailure f) {
                if (f.permanent()) {
                    throw f;
                }
                soft = f;
            }
        }
        if (out.isEmpty() && soft != null) {
            throw soft;
        }
        return out;
    }

    /** The records of one type at {@code host}, after its CNAMEs; empty for NODATA. */
    private List<Record> records(String host, int type) throws RouteFailure {
        Name name;
        try {
            name = Name.fromString(host, Name.root);
        } catch (TextParseException e) {
            throw RouteFailure.hostNotFound(host);
        }
        for (int asked = 0; asked < MAX_CNAMES; asked++) {
            Message answer = ask(host, name, type);
            if (answer.getRcode() == Rcode.NXDOMAIN) {
                throw RouteFailure.hostNotFound(host);
            }
            List<Record> section = answer.getSection(Section.ANSWER);
            Name owner = name;
            for (int hops = 0; hops <= MAX_CNAMES; hops++) {
                Name next = cnameTarget(section, owner);
                if (next == null) {
                    break;
                }
                owner = next;
            }
            List<Record> out = new ArrayList<>();
            for (Record r : section) {
                if (r.getType() == type && r.getName().equals(owner)) {
                    out.add(r);
                }
            }
            if (!out.isEmpty() || owner.equals(name)) {
                return out;
            }
            name = owner;
        }
        throw RouteFailure.lookupFailed(host, Type.string(type), "CNAME chain too long");
    }

    private static Name cnameTarget(List<Record> section, Name owner) {
        for (Record r : section) {
            if (r instanceof CNAMERecord c && c.getName().equals(owner)) {
                return c.getTarget();
            }
        }
        return null;
    }

    /** An answer with NOERROR or NXDOMAIN from some server, or a temporary failure saying why not. */
    private Message ask(String host, Name name, int type) throws RouteFailure {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        List<SimpleResolver> willing = new ArrayList<>(servers);
        String why = "no DNS server";
        for (int round = 0; round < tries && !willing.isEmpty(); round++) {
            for (int i = 0; i < willing.size(); i++) {
                SimpleResolver s = willing.get(i);
                try {
                    Message answer = s.send(query);
                    int rcode = answer.getRcode();
                    if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
                        return answer;
                    }
                    why = Rcode.string(rcode) + " from " + where(s);
                    willing.remove(i--);
                } catch (IOException e) {
                    why = "no answer from " + where(s);
                }
            }
        }
        throw RouteFailure.lookupFailed(host, Type.string(type), why);
    }

    private static String where(SimpleResolver s) {
        InetSocketAddress a = s.getAddress();
        String ip = a.getAddress().getHostAddress();
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + a.getPort();
    }

    private static InetAddress named(String host, InetAddress a) {
        try {
            return InetAddress.getByAddress(host, a.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + a.getAddress().length + " bytes", e);
        }
    }

    /** One line of control/dnsservers. */
    static InetSocketAddress server(String line) throws IOException {
        String host = line;
        int port = SimpleResolver.DEFAULT_PORT;
        int colon = line.lastIndexOf(':');
        if (line.startsWith("[")) {
            int close = line.indexOf(']');
            if (close < 0 || close + 1 < line.length() && line.charAt(close + 1) != ':') {
                throw bad(line);
            }
            host = line.substring(1, close);
            if (close + 1 < line.length()) {
                port = port(line.substring(close + 2), line);
            }
        } else if (colon >= 0 && line.indexOf(':') == colon) {
            host = line.substring(0, colon);
            port = port(line.substring(colon + 1), line);
        }
        if (!host.chars().allMatch(c -> c == '.' || c == ':' || Character.digit(c, 16) >= 0) || host.isEmpty()) {
            throw bad(line);
        }
        try {
            return new InetSocketAddress(Address.getByAddress(host), port);
        } catch (UnknownHostException e) {
            throw bad(line);
        }
    }

    private static int port(String s, String line) throws IOException {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw bad(line);
        }
        int p = Integer.parseInt(s);
        if (p < 1 || p > 65535) {
            throw bad(line);
        }
        return p;
    }

    private static IOException bad(String line) {
        return new IOException("control/" + SERVERS_FILE + ": not an address or address:port: " + line);
    }
}
