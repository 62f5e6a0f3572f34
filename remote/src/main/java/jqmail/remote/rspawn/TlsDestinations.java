package jqmail.remote.rspawn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import jqmail.remote.route.DomainKeys;
import jqmail.remote.smtp.TlsPolicy;

/**
 * control/tlsdestinations: per destination, whether a connection asks for
 * STARTTLS and which certificates it accepts.
 *
 * <pre>
 * bank.example:verify                   STARTTLS required; the certificate must chain to the JDK's
 *                                       trust store and name the host we connect to (the MX or relay)
 * .partner.example:verify:/etc/ca.pem   the same, against the CA certificates in that PEM file
 * legacy.example.org:encrypt            STARTTLS required; any certificate
 * broken.example.net:none               never STARTTLS (a peer whose TLS is broken)
 * :may                                  the default: STARTTLS when offered, any certificate
 * </pre>
 *
 * The recipient's domain is looked up as in control/smtproutes: the domain,
 * each {@code .suffix} from the longest, then the empty key. Without the
 * file every destination is {@code may}. A required TLS that cannot be had
 * defers the mail (and tries the next host); it never goes in plain text.
 */
final class TlsDestinations {
    static final String FILE = "tlsdestinations";

    /** What one destination gets: the policy, and the trust for {@code verify} (null: the JDK's). */
    record Choice(TlsPolicy policy, SSLContext trust) {
    }

    static final Choice DEFAULT = new Choice(TlsPolicy.OPPORTUNISTIC, null);

    private final Map<String, Choice> table;

    private TlsDestinations(Map<String, Choice> table) {
        this.table = table;
    }

    static TlsDestinations parse(List<String> lines, Path controlDir) throws IOException {
        Map<String, Choice> table = new HashMap<>();
        Map<Path, SSLContext> trusts = new HashMap<>();
        for (String line : lines) {
            String[] f = line.split(":", 3);
            if (f.length < 2) {
                throw bad(line, "no policy after the destination");
            }
            TlsPolicy p = switch (f[1].trim().toLowerCase(Locale.ROOT)) {
                case "none" -> TlsPolicy.NONE;
                case "may" -> TlsPolicy.OPPORTUNISTIC;
                case "encrypt" -> TlsPolicy.REQUIRE;
                case "verify" -> TlsPolicy.REQUIRE_VERIFIED;
                default -> throw bad(line, "not none, may, encrypt or verify: " + f[1]);
            };
            SSLContext trust = null;
            if (f.length == 3 && !f[2].isBlank()) {
                if (p != TlsPolicy.REQUIRE_VERIFIED) {
                    throw bad(line, "a CA file goes with verify only");
                }
                Path ca = controlDir.resolve(f[2].trim());
                trust = trusts.get(ca);
                if (trust == null) {
                    trust = trust(ca, line);
                    trusts.put(ca, trust);
                }
            }
            table.put(f[0].trim().toLowerCase(Locale.ROOT), new Choice(p, trust));
        }
        return new TlsDestinations(table);
    }

    Choice choose(String domain) {
        Choice c = DomainKeys.lookup(table, domain);
        return c == null ? DEFAULT : c;
    }

    /** A context that trusts exactly the certificates in a PEM file. */
    private static SSLContext trust(Path pem, String line) throws IOException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(pem)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw bad(line, "unable to read " + pem + ": " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw bad(line, "not PEM certificates in " + pem + ": " + e.getMessage());
        }
        if (certs.isEmpty()) {
            throw bad(line, "no certificate in " + pem);
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate c : certs) {
                store.setCertificateEntry("ca" + n++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw bad(line, "unusable CA file " + pem + ": " + e.getMessage());
        }
    }

    private static IOException bad(String line, String why) {
        return new IOException("control/" + FILE + ": " + why + ": " + line);
    }
}
