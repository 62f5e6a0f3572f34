package jqmail.smtpd.tcpserver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import jqmail.common.smtp.StartTls;

/**
 * The SMTP server's TLS: the key and certificate chain of
 * control/servercert.pem (PEM: a PKCS#8 "PRIVATE KEY", RSA or EC, and its
 * certificates, the server's first), TLS 1.2 and 1.3 only, the JDK's own
 * cipher suites (which leave out the broken ones). No file, no STARTTLS.
 */
final class ServerTls {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SSLContext context;

    private ServerTls(SSLContext context) {
        this.context = context;
    }

    /** The TLS of this file, or null when it does not exist. */
    static ServerTls load(Path pem) throws IOException {
        String text;
        try {
            if (Files.size(pem) > 1024 * 1024) {
                throw new IOException(pem + ": larger than 1 MiB");
            }
            text = Files.readString(pem, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return null;
        }
        List<byte[]> keys = blocks(text, "PRIVATE KEY");
        List<byte[]> certs = blocks(text, "CERTIFICATE");
        if (keys.size() != 1 || certs.isEmpty()) {
            throw new IOException(pem + ": not one PKCS#8 PRIVATE KEY and its CERTIFICATEs (openssl pkey converts"
                + " other key formats)");
        }
        try {
            PrivateKey key = privateKey(keys.get(0));
            List<Certificate> chain = new ArrayList<>();
            java.security.cert.CertificateFactory cf = java.security.cert.CertificateFactory.getInstance("X.509");
            for (byte[] c : certs) {
                chain.add(cf.generateCertificate(new ByteArrayInputStream(c)));
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] none = new char[0];
            store.setKeyEntry("server", key, none, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, none);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return new ServerTls(ctx);
        } catch (GeneralSecurityException e) {
            throw new IOException(pem + ": unusable key or certificate: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(byte[] pkcs8) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String algorithm : new String[] {"EC", "RSA", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    private static List<byte[]> blocks(String text, String label) {
        List<byte[]> out = new ArrayList<>();
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        for (int i = text.indexOf(begin); i >= 0; i = text.indexOf(begin, i + 1)) {
            int j = text.indexOf(end, i);
            if (j < 0) {
                break;
            }
            out.add(Base64.getMimeDecoder().decode(text.substring(i + begin.length(), j)));
        }
        return out;
    }

    /** STARTTLS over this connection: the handshake bounded by {@code timeoutMillis}. */
    StartTls over(Socket s, int timeoutMillis) {
        return () -> {
            SSLSocket t = (SSLSocket) context.getSocketFactory().createSocket(s, null, true);
            SSLParameters p = t.getSSLParameters();
            p.setProtocols(PROTOCOLS);
            t.setSSLParameters(p);
            s.setSoTimeout(timeoutMillis);
            t.startHandshake();
            s.setSoTimeout(0);
            return new StartTls.Upgraded(t.getInputStream(), t.getOutputStream(),
                t.getSession().getProtocol() + " " + t.getSession().getCipherSuite());
        };
    }
}
