package jqmail.remote.rspawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jqmail.remote.smtp.TlsPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsDestinationsTest {
    @TempDir
    Path dir;

    private TlsDestinations parse(String... lines) throws IOException {
        return TlsDestinations.parse(List.of(lines), dir);
    }

    @Test
    void destinationsAreLookedUpAsSmtproutesIs() throws IOException {
        TlsDestinations t = parse("bank.example:verify", ".partner.example:encrypt", "Legacy.Example.org:none", ":may");
        assertEquals(TlsPolicy.REQUIRE_VERIFIED, t.choose("bank.example").policy());
        assertEquals(TlsPolicy.OPPORTUNISTIC, t.choose("mail.bank.example").policy(), "no .bank.example line");
        assertEquals(TlsPolicy.REQUIRE, t.choose("mx.partner.example").policy());
        assertEquals(TlsPolicy.OPPORTUNISTIC, t.choose("partner.example").policy(), ".suffix is not the domain");
        assertEquals(TlsPolicy.NONE, t.choose("LEGACY.example.ORG").policy());
        assertEquals(TlsPolicy.OPPORTUNISTIC, t.choose("elsewhere.example").policy());
        assertEquals(TlsPolicy.REQUIRE_VERIFIED, parse(":verify").choose("anything.example").policy());
        assertSame(TlsDestinations.DEFAULT, parse().choose("example.com"), "no file: opportunistic everywhere");
    }

    @Test
    void aCaFileBecomesTheTrustOfThatDestination() throws Exception {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        String store = dir.resolve("peer.p12").toString();
        keytool(keytool, "-genkeypair", "-alias", "peer", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
            "CN=mx.partner.example", "-validity", "2", "-keystore", store, "-storetype", "PKCS12", "-storepass",
            "changeit", "-keypass", "changeit", "-noprompt");
        keytool(keytool, "-exportcert", "-rfc", "-alias", "peer", "-keystore", store, "-storepass", "changeit",
            "-file", dir.resolve("ca.pem").toString());
        TlsDestinations t = parse("partner.example:verify:ca.pem", "bank.example:verify");
        assertNotNull(t.choose("partner.example").trust(), "a relative CA file is read from the control directory");
        assertNull(t.choose("bank.example").trust(), "the JDK's trust store");
    }

    private static void keytool(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }

    @Test
    void mistakesNameTheLine() {
        for (String[] c : new String[][] {
            {"example.com", "no policy"},
            {"example.com:secure", "not none, may, encrypt or verify: secure"},
            {"example.com:may:ca.pem", "a CA file goes with verify only"},
            {"example.com:verify:missing.pem", "unable to read"},
        }) {
            IOException e = assertThrows(IOException.class, () -> parse(c[0]));
            assertTrue(e.getMessage().startsWith("control/tlsdestinations: ") && e.getMessage().contains(c[1])
                && e.getMessage().endsWith(c[0]), e.getMessage());
        }
    }

    @Test
    void aFileWithoutCertificatesIsRefused() throws IOException {
        Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
        IOException e = assertThrows(IOException.class, () -> parse("example.com:verify:empty.pem"));
        assertTrue(e.getMessage().contains("empty.pem"), e.getMessage());
    }
}
