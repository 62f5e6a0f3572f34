package jqmail.remote.smtp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import jqmail.common.TrustAll;

/**
 * The TLS layer that STARTTLS puts over the TCP socket. Verified: the
 * given or the JDK's trust, and the certificate must name the peer (the
 * same rules as HTTPS: subjectAltName, a wildcard only in the leftmost
 * label). Opportunistic: any certificate; the name is still sent (SNI) so a
 * peer with several certificates picks the right one.
 */
final class Tls {
    private Tls() {
    }

    /** Layers TLS over {@code tcp} and completes the handshake. */
    static SSLSocket handshake(Socket tcp, String peerName, boolean verify, SSLContext verifying)
        throws IOException {
        SSLContext context;
        try {
            context = verify ? (verifying != null ? verifying : SSLContext.getDefault()) : TrustAll.context();
        } catch (GeneralSecurityException e) {
            throw new IOException("no TLS context: " + e.getMessage(), e);
        }
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(tcp, peerName, tcp.getPort(), true);
        s.setUseClientMode(true);
        SSLParameters p = s.getSSLParameters();
        if (verify) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (isHostName(peerName)) {
            p.setServerNames(List.of(new SNIHostName(peerName)));
        }
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }

    /** "TLSv1.3 TLS_AES_256_GCM_SHA384". */
    static String summary(SSLSocket s) {
        SSLSession session = s.getSession();
        return session.getProtocol() + " " + session.getCipherSuite();
    }

    /** SNI takes a DNS name, never an address literal. */
    static boolean isHostName(String name) {
        if (name == null || name.isEmpty() || name.startsWith("[") || name.indexOf(':') >= 0) {
            return false;
        }
        if (name.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9')) {
            return false;
        }
        try {
            new SNIHostName(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The peer name the certificate must carry: the given name ({@code [ip]} unwrapped), else the address. */
    static String nameFor(String peerName, InetAddress address) {
        if (peerName == null || peerName.isEmpty()) {
            return address.getHostAddress();
        }
        if (peerName.startsWith("[") && peerName.endsWith("]")) {
            String literal = peerName.substring(1, peerName.length() - 1);
            return literal.regionMatches(true, 0, "IPv6:", 0, 5) ? literal.substring(5) : literal;
        }
        return peerName;
    }
}
