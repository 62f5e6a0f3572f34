package jqmail.remote.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * STARTTLS and AUTH against a fake peer that upgrades with a self-signed
 * certificate for mx.test.example, made by the JDK's keytool for this run.
 */
@Timeout(60)
class SmtpTlsAuthTest {
    private static final String PEER = "mx.test.example";
    private static final char[] PASS = "changeit".toCharArray();

    @TempDir
    static Path dir;

    private static SSLContext serverContext;
    private static SSLContext trustsPeer;

    @BeforeAll
    static void certificate() throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        assumeTrue(Files.isExecutable(keytool), "no keytool in " + keytool);
        Path store = dir.resolve("peer.p12");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "peer", "-keyalg", "EC",
            "-groupname", "secp256r1", "-dname", "CN=" + PEER, "-ext", "SAN=dns:" + PEER, "-validity", "2",
            "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit",
            "-noprompt").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASS);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASS);
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);

        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("peer", keys.getCertificate("peer"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        trustsPeer = SSLContext.getInstance("TLS");
        trustsPeer.init(null, tmf.getTrustManagers(), null);
    }

    private static ClientSettings settings(TlsPolicy tls, SSLContext verifying, String user, String password) {
        return new ClientSettings("client.example", 2000, 2000, tls, verifying, user, password, 100);
    }

    /** Greeting, EHLO offering STARTTLS, the upgrade, and EHLO again with these extensions. */
    private static void upgrade(FakePeer.Session s, String... afterTls) throws IOException {
        s.ehlo("PIPELINING", "STARTTLS");
        s.expect("STARTTLS");
        s.reply("220 2.0.0 ready to start TLS");
        s.startTls(serverContext);
        s.expect("EHLO client.example");
        s.answerEhlo(afterTls);
    }

    private static void deliverOne(FakePeer.Session s) throws IOException {
        s.expect("MAIL FROM:<a@example.org>");
        s.expect("RCPT TO:<b@example.org>");
        s.reply("250 ok", "250 ok");
        s.expect("DATA");
        s.reply("354 go ahead");
        assertEquals("secret\r\n.\r\n", new String(s.readData(), java.nio.charset.StandardCharsets.ISO_8859_1));
        s.reply("250 ok");
        s.expect("QUIT");
        s.reply("221 bye");
    }

    private static void sendOne(SmtpConnection c) throws SmtpFailure {
        List<RecipientResult> r = c.send("a@example.org", List.of("b@example.org"), Messages.of("secret\n"));
        assertEquals('K', r.get(0).code(), r.get(0).text());
    }

    /** The peer's side of a handshake the client breaks off. */
    private static void handshakeRefused(FakePeer.Session s) throws IOException {
        s.ehlo("STARTTLS");
        s.expect("STARTTLS");
        s.reply("220 ready");
        try {
            s.startTls(serverContext);
            s.readLine();
            fail("the client went on with a certificate it should not trust");
        } catch (IOException expected) {
            // The client's alert.
        }
    }

    // ---- STARTTLS ----

    @Test
    void opportunisticUpgradesAndSaysEhloAgain() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            upgrade(s, "PIPELINING");
            deliverOne(s);
        })) {
            SmtpConnection c = SmtpConnection.open(peer.address(), PEER, settings(TlsPolicy.OPPORTUNISTIC, null, null, null));
            assertTrue(c.tlsSummary() != null && c.tlsSummary().matches("TLSv1\\.[23] TLS_\\w+"), c.tlsSummary());
            sendOne(c);
            c.quit();
        }
    }

    @Test
    void opportunisticFailedHandshakeReconnectsInPlainText() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("PIPELINING", "STARTTLS");
            s.expect("STARTTLS");
            s.reply("220 ready");
            s.raw("this is not TLS at all\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertTrue(s.closedByClient());
        }, s -> {
            s.ehlo("PIPELINING", "STARTTLS");
            deliverOne(s); // MAIL next: no second STARTTLS
        })) {
            SmtpConnection c = SmtpConnection.open(peer.address(), PEER, settings(TlsPolicy.OPPORTUNISTIC, null, null, null));
            assertNull(c.tlsSummary());
            sendOne(c);
            c.quit();
        }
    }

    @Test
    void opportunisticGoesOnInPlainTextWhenStarttlsIsRefused() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("PIPELINING", "STARTTLS");
            s.expect("STARTTLS");
            s.reply("454 4.7.0 TLS not available");
            deliverOne(s);
        })) {
            SmtpConnection c = SmtpConnection.open(peer.address(), PEER, settings(TlsPolicy.OPPORTUNISTIC, null, null, null));
            assertNull(c.tlsSummary());
            sendOne(c);
            c.quit();
        }
    }

    @Test
    void noneNeverAsks() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("PIPELINING", "STARTTLS");
            deliverOne(s);
        })) {
            SmtpConnection c = SmtpConnection.open(peer.address(), PEER, settings(TlsPolicy.NONE, null, null, null));
            sendOne(c);
            c.quit();
        }
    }

    @Test
    void requireVerifiedRefusesASelfSignedCertificate() throws Exception {
        try (FakePeer peer = new FakePeer(SmtpTlsAuthTest::handshakeRefused)) {
            SmtpFailure f = assertThrows(SmtpFailure.class, () ->
                SmtpConnection.open(peer.address(), PEER, settings(TlsPolicy.REQUIRE_VERIFIED, null, null, null)));
            assertTrue(f.tryNextHost());
            assertFalse(f.permanent());
            assertTrue(f.getMessage().contains("TLS failed"), f.getMessage());
        }
    }

    @Test
    void requireVerifiedAcceptsACertificateItsContextTrusts() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            upgrade(s, "PIPELINING");
            deliverOne(s);
        })) {
            SmtpConnection c = SmtpConnection.open(peer.address(), PEER,
                settings(TlsPolicy.REQUIRE_VERIFIED, trustsPeer, null, null));
            assertTrue(c.tlsSummary().startsWith("TLSv1."), c.tlsSummary());
            sendOne(c);
            c.quit();
        }
    }

    @Test
    void requireVerifiedChecksTheName() throws Exception {
        try (FakePeer peer = new FakePeer(SmtpTlsAuthTest::handshakeRefused)) {
            SmtpFailure f = assertThrows(SmtpFailure.class, () -> SmtpConnection.open(peer.address(),
                "other.test.example", settings(TlsPolicy.REQUIRE_VERIFIED, trustsPeer, null, null)));
            assertTrue(f.tryNextHost());
        }
    }

    @Test
    void requireVerifiedNeedsTheOffer() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("PIPELINING");
            assertTrue(s.closedByClient());
        })) {
            SmtpFailure f = assertThrows(SmtpFailure.class, () -> SmtpConnection.open(peer.address(), PEER,
                settings(TlsPolicy.REQUIRE_VERIFIED, trustsPeer, null, null)));
            assertTrue(f.tryNextHost());
            assertTrue(f.getMessage().contains("does not offer STARTTLS"), f.getMessage());
        }
    }

    @Test
    void requireVerifiedDoesNotTakeARefusal() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("STARTTLS");
            s.expect("STARTTLS");
            s.reply("454 4.7.0 TLS not available");
            s.expect("QUIT");
        })) {
            SmtpFailure f = assertThrows(SmtpFailure.class, () -> SmtpConnection.open(peer.address(), PEER,
                settings(TlsPolicy.REQUIRE_VERIFIED, trustsPeer, null, null)));
            assertTrue(f.tryNextHost());
            assertNull(f.throttledBy(), "a 4.7.0 answer to STARTTLS is about TLS, not about our rate");
        }
    }

    @Test
    void encryptTakesASelfSignedCertificate() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            upgrade(s, "PIPELINING");
            deliverOne(s);
        })) {
            SmtpConnection c = SmtpConnection.open(peer.address(), "whatever.example",
                settings(TlsPolicy.REQUIRE, null, null, null));
            assertTrue(c.tlsSummary().startsWith("TLSv1."), c.tlsSummary());
            sendOne(c);
            c.quit();
        }
    }

    @Test
    void encryptNeverFallsBackToPlainText() throws Exception {
        try (FakePeer noOffer = new FakePeer(s -> {
            s.ehlo("PIPELINING");
            assertTrue(s.closedByClient());
        })) {
            SmtpFailure f = assertThrows(SmtpFailure.class, () -> SmtpConnection.open(noOffer.address(), PEER,
                settings(TlsPolicy.REQUIRE, null, null, null)));
            assertTrue(f.getMessage().contains("does not offer STARTTLS"), f.getMessage());
        }
        try (FakePeer broken = new FakePeer(s -> {
            s.ehlo("PIPELINING", "STARTTLS");
            s.expect("STARTTLS");
            s.reply("220 ready");
            s.raw("this is not TLS at all\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertTrue(s.closedByClient());
        })) {
            SmtpFailure f = assertThrows(SmtpFailure.class, () -> SmtpConnection.open(broken.address(), PEER,
                settings(TlsPolicy.REQUIRE, null, null, null)));
            // A plain-text retry would have found no peer answering and failed otherwise.
            assertTrue(f.tryNextHost() && f.getMessage().contains("TLS failed"), f.getMessage());
        }
    }

    @Test
    void plainTextInjectedAfterTheStarttlsReplyIsRefused() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("PIPELINING", "STARTTLS");
            s.expect("STARTTLS");
            s.reply("220 ready", "250-injected.example", "250 AUTH PLAIN");
            assertTrue(s.closedByClient());
        })) {
            SmtpFailure f = assertThrows(SmtpFailure.class, () -> SmtpConnection.open(peer.address(), PEER,
                settings(TlsPolicy.OPPORTUNISTIC, null, null, null)));
            assertTrue(f.tryNextHost());
            assertTrue(f.getMessage().contains("after its reply to STARTTLS"), f.getMessage());
        }
    }

    // ---- AUTH ----

    @Test
    void authPlainOverTls() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            upgrade(s, "PIPELINING", "AUTH LOGIN PLAIN");
            // RFC 4616: NUL "jq" NUL "s3cret päss" in UTF-8, base64, as the initial response (RFC 4954).
            s.expect("AUTH PLAIN AGpxAHMzY3JldCBww6Rzcw==");
            s.reply("235 2.7.0 authenticated");
            deliverOne(s);
        })) {
            SmtpConnection c = SmtpConnection.open(peer.address(), PEER,
                settings(TlsPolicy.OPPORTUNISTIC, null, "jq", "s3cret päss"));
            sendOne(c);
            c.quit();
        }
    }

    @Test
    void authLoginWhenOnlyLoginIsOffered() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            // Plain text is allowed here only because the peer is on loopback.
            s.ehlo("PIPELINING", "AUTH=LOGIN");
            s.expect("AUTH LOGIN");
            s.reply("334 VXNlcm5hbWU6");
            s.expect("anFAZXhhbXBsZS5vcmc=");
            s.reply("334 UGFzc3dvcmQ6");
            s.expect("czNjcmV0IHDDpHNz");
            s.reply("235 2.7.0 authenticated");
            deliverOne(s);
        })) {
            SmtpConnection c = SmtpConnection.open(peer.address(), PEER,
                settings(TlsPolicy.NONE, null, "jq@example.org", "s3cret päss"));
            sendOne(c);
            c.quit();
        }
    }

    @Test
    void refusedCredentialsTryTheNextHost() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            upgrade(s, "AUTH PLAIN");
            s.expect("AUTH PLAIN AGpxAHdyb25n");
            s.reply("535 5.7.8 authentication failed");
            s.expect("QUIT");
        })) {
            SmtpFailure f = assertThrows(SmtpFailure.class, () -> SmtpConnection.open(peer.address(), PEER,
                settings(TlsPolicy.OPPORTUNISTIC, null, "jq", "wrong")));
            assertTrue(f.tryNextHost());
            assertFalse(f.permanent());
            assertTrue(f.getMessage().contains("535 5.7.8"), f.getMessage());
            assertFalse(f.getMessage().contains("AGpx"), "the credentials must not reach a report");
        }
    }

    @Test
    void credentialsWithoutAnAuthOfferAreAFailure() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            upgrade(s, "PIPELINING");
            assertTrue(s.closedByClient());
        })) {
            SmtpFailure f = assertThrows(SmtpFailure.class, () -> SmtpConnection.open(peer.address(), PEER,
                settings(TlsPolicy.OPPORTUNISTIC, null, "jq", "pw")));
            assertTrue(f.getMessage().contains("neither AUTH PLAIN nor AUTH LOGIN"), f.getMessage());
        }
    }

    @Test
    void credentialsGoOnlyOverTlsOrToLoopback() throws Exception {
        assertFalse(Sasl.mayAuthenticate(false, InetAddress.getByName("192.0.2.1")));
        assertFalse(Sasl.mayAuthenticate(false, InetAddress.getByName("2001:db8::1")));
        assertTrue(Sasl.mayAuthenticate(true, InetAddress.getByName("192.0.2.1")));
        assertTrue(Sasl.mayAuthenticate(false, InetAddress.getByName("127.0.0.1")));
        assertTrue(Sasl.mayAuthenticate(false, InetAddress.getByName("::1")));
    }

    @Test
    void passwordStaysOutOfToString() {
        assertFalse(settings(TlsPolicy.NONE, null, "jq", "hunter2").toString().contains("hunter2"));
    }
}
