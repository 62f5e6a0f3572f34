package jqmail.smtpd.tcpserver;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Hashtable;
import java.util.List;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.InitialDirContext;

/**
 * rblsmtpd's check: is the client's address listed in a DNS blocklist?
 * For 192.0.2.1 and base {@code bl.example} it asks for the A record of
 * {@code 1.2.0.192.bl.example} (IPv6: the reversed nibbles), and takes the
 * TXT record, when there is one, as the reason. A failed lookup lets the
 * client in (rblsmtpd's default). The variable RBLSMTPD, when the rules set
 * it, decides instead: empty lets the client in, "-text" refuses it for
 * good, "text" for now.
 *
 * <p>The resolver is the system's, or the one named by {@code JQMAIL_DNS}
 * ({@code ip} or {@code ip:port}). Only these forward lookups are made;
 * never a reverse one.
 */
final class Dnsbl {
    /** A listing: its text, and whether it refuses for good. */
    record Listing(String text, boolean permanent) {
    }

    private final List<String> bases;

    Dnsbl(List<String> bases) {
        this.bases = bases;
    }

    /** The listing that applies to this client, or null. */
    Listing check(InetAddress ip, String rblsmtpd) {
        if (rblsmtpd != null) {
            if (rblsmtpd.isEmpty()) {
                return null;
            }
            return rblsmtpd.startsWith("-") ? new Listing(rblsmtpd.substring(1), true) : new Listing(rblsmtpd, false);
        }
        for (String base : bases) {
            String name = reversed(ip) + "." + base;
            try {
                InitialDirContext ctx = context();
                try {
                    Attributes a = ctx.getAttributes(name, new String[] {"A"});
                    if (a.get("A") == null) {
                        continue;
                    }
                    return new Listing(reason(ctx, name, base, ip), false);
                } finally {
                    ctx.close();
                }
            } catch (NameNotFoundException e) {
                // Not listed here.
            } catch (NamingException e) {
                // rblsmtpd's default: a failed lookup does not keep mail out.
            }
        }
        return null;
    }

    private static String reason(InitialDirContext ctx, String name, String base, InetAddress ip) {
        try {
            Attribute txt = ctx.getAttributes(name, new String[] {"TXT"}).get("TXT");
            if (txt != null && txt.size() > 0) {
                String t = txt.get(0).toString();
                if (t.length() > 1 && t.startsWith("\"") && t.endsWith("\"")) {
                    t = t.substring(1, t.length() - 1);
                }
                return t;
            }
        } catch (NamingException e) {
            // Fall back to the plain reason.
        }
        return "your address " + TcpServer.text(ip) + " is listed by " + base;
    }

    private static InitialDirContext context() throws NamingException {
        Hashtable<String, String> env = new Hashtable<>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        String server = System.getenv("JQMAIL_DNS");
        env.put("java.naming.provider.url", server == null || server.isEmpty() ? "dns:" : "dns://" + server);
        env.put("com.sun.jndi.dns.timeout.initial", "2000");
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        return new InitialDirContext(env);
    }

    /** 192.0.2.1 → 1.2.0.192; an IPv6 address → its 32 nibbles, last first. */
    static String reversed(InetAddress ip) {
        byte[] b = ip.getAddress();
        StringBuilder s = new StringBuilder();
        if (ip instanceof Inet4Address) {
            for (int i = 3; i >= 0; i--) {
                s.append(b[i] & 0xff).append(i > 0 ? "." : "");
            }
            return s.toString();
        }
        for (int i = 15; i >= 0; i--) {
            s.append(Character.forDigit(b[i] & 0xf, 16)).append('.').append(Character.forDigit(b[i] >> 4 & 0xf, 16));
            if (i > 0) {
                s.append('.');
            }
        }
        return s.toString();
    }
}
