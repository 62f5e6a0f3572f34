package jqmail.scripts;

import static jqmail.scripts.PostfixPeer.DOMAIN;
import static jqmail.scripts.PostfixPeer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote delivery by the real system to a real Postfix on loopback
 * (PostfixPeer): STARTTLS, a recipient the peer defers while the others of
 * the same message arrive, a recipient it refuses, and the TLS policy of
 * control/tlsdestinations against its self-signed certificate.
 */
class PostfixPeerIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void postfixInstalled() {
        PostfixPeer.assumeAvailable();
    }

    /** A started jqmail that routes {@link PostfixPeer#DOMAIN} to the peer, with carol as a local user. */
    private TestHome jqmail(PostfixPeer peer) throws Exception {
        TestHome home = new TestHome(dir.resolve("home"));
        Dist.Result r = Dist.run(null, "jqmail", "user", "add", "--home", home.dir.toString(), "carol");
        assertEquals(0, r.code(), r.stderr());
        home.control("smtproutes", DOMAIN + ":[127.0.0.1]:" + peer.port);
        home.start();
        return home;
    }

    private static void send(TestHome home, String message, String... recipients) throws Exception {
        List<String> args = new ArrayList<>(List.of("-f", "carol@test.example", "-i", "--"));
        for (String r : recipients) {
            args.add(r + "@" + DOMAIN);
        }
        Dist.Result r = Dist.run(home.dir, message.getBytes(StandardCharsets.ISO_8859_1), Map.of(), "sendmail",
            args.toArray(new String[0]));
        assertEquals(0, r.code(), r.stderr());
    }

    private static String log(TestHome home, String program) throws Exception {
        Path current = home.home.log().resolve(program).resolve("current");
        return Files.exists(current) ? Files.readString(current, StandardCharsets.ISO_8859_1) : "";
    }

    private static String afterHeader(String message) {
        return message.substring(message.indexOf("\n\n") + 2);
    }

    @Test
    void aMessageGoesOverStartTlsAndArrivesIntact() throws Exception {
        String body = "line one\n.a line that starts with a dot\n\n" + "x".repeat(900) + "\nthe end\n";
        try (PostfixPeer peer = new PostfixPeer(dir.resolve("peer"), "alice"); TestHome home = jqmail(peer)) {
            send(home, "Subject: over TLS\n\n" + body, "alice");
            await("alice's message", () -> peer.mailbox("alice").size() == 1);
            String got = peer.mailbox("alice").get(0);
            assertTrue(got.contains("\nSubject: over TLS\n"), got);
            assertEquals(body, afterHeader(got), "the body arrived byte for byte");
            assertTrue(peer.log().contains("TLS connection established from localhost[127.0.0.1]: TLSv1."),
                "the peer saw TLS:\n" + peer.log());
            await("qmail-rspawn logs the TLS session",
                () -> log(home, "qmail-rspawn").matches("(?s).*tls to \\S+ \\[127\\.0\\.0\\.1\\]: TLSv1\\.[23] .*"));
        }
    }

    @Test
    void aRecipientThePeerDefersIsRetriedAloneAndNobodyGetsTwoCopies() throws Exception {
        try (PostfixPeer peer = new PostfixPeer(dir.resolve("peer"), "alice", "bob", "dave")) {
            peer.replies(Map.of("bob", "452 4.2.2 Mailbox full, try later"));
            try (TestHome home = jqmail(peer)) {
                send(home, "Subject: three of us\n\nhello\n", "alice", "bob", "dave");
                await("alice and dave get it", () -> peer.mailbox("alice").size() == 1 && peer.mailbox("dave").size() == 1);
                await("bob's delivery deferred with the peer's words", () -> log(home, "qmail-send").lines()
                    .anyMatch(l -> l.contains(": deferral: ") && l.contains("452 4.2.2 <bob@" + DOMAIN + ">")));
                String qread = Dist.run(home.dir, "qmail-qread").stdout();
                assertTrue(qread.contains("\n\tremote\tbob@" + DOMAIN + "\n"), "bob still waits:\n" + qread);
                assertTrue(qread.contains("\n  done\tremote\talice@" + DOMAIN + "\n"), qread);
                assertTrue(qread.contains("\n  done\tremote\tdave@" + DOMAIN + "\n"), qread);
                assertTrue(peer.mailbox("bob").isEmpty());

                // bob has room again; a session jqmail kept open would still hear the old table, so none is.
                peer.awaitNoSession();
                peer.replies(Map.of());
                assertEquals(0, Dist.run(home.dir, "sendmail", "-q").code());
                await("bob gets it", () -> peer.mailbox("bob").size() == 1);
                RemoteIT.awaitEmptyQueue(home, 60);
                assertEquals("hello\n", afterHeader(peer.mailbox("bob").get(0)));
                assertEquals(1, peer.mailbox("alice").size(), "alice got one copy");
                assertEquals(1, peer.mailbox("dave").size(), "dave got one copy");
            }
        }
    }

    @Test
    void aRecipientThePeerRefusesBouncesWithItsWordsAndTheOtherArrives() throws Exception {
        try (PostfixPeer peer = new PostfixPeer(dir.resolve("peer"), "alice", "gone")) {
            peer.replies(Map.of("gone", "550 5.1.1 This mailbox is closed"));
            try (TestHome home = jqmail(peer)) {
                send(home, "Subject: to two\n\nhi\n", "alice", "gone");
                Path carol = home.home.vmail().resolve("test.example/carol/Maildir");
                await("alice's message and carol's bounce",
                    () -> peer.mailbox("alice").size() == 1 && DotQmailIT.files(carol).size() == 1);
                RemoteIT.awaitEmptyQueue(home, 60);
                assertEquals(1, peer.mailbox("alice").size(), "alice got one copy");
                assertTrue(peer.mailbox("gone").isEmpty());
                List<String> bounces = DotQmailIT.files(carol);
                assertEquals(1, bounces.size(), "one bounce to carol, the sender");
                String bounce = bounces.get(0);
                assertTrue(bounce.contains("<gone@" + DOMAIN + ">:"), bounce);
                assertTrue(bounce.contains("Remote host said: 550 5.1.1"), bounce);
                assertTrue(bounce.contains("This mailbox is closed"), "the peer's own words: " + bounce);
                assertFalse(bounce.contains("<alice@" + DOMAIN + ">:"), "alice is not named as failed: " + bounce);
            }
        }
    }

    @Test
    void verifyRefusesTheSelfSignedPeerUntilItsCertificateIsTheCa() throws Exception {
        try (PostfixPeer peer = new PostfixPeer(dir.resolve("peer"), "alice");
             TestHome home = new TestHome(dir.resolve("home"))) {
            home.control("smtproutes", DOMAIN + ":[127.0.0.1]:" + peer.port);
            home.control("tlsdestinations", DOMAIN + ":verify");
            home.start();
            send(home, "Subject: verified\n\nsecret\n", "alice");
            // "TLS failed: ... unable to find valid certification path": the JDK's words for a certificate it does not trust.
            await("a deferral for the unverifiable certificate", () -> log(home, "qmail-send").lines()
                .anyMatch(l -> l.contains(": deferral: ") && l.contains("TLS failed") && l.contains("certificat")));
            assertEquals(1, home.stored().size(), "the message waits in the queue");
            assertTrue(peer.mailbox("alice").isEmpty(), "nothing went to an unverified peer");

            // The peer's own certificate as the CA: it names 127.0.0.1, the host the route connects to.
            home.control("tlsdestinations", DOMAIN + ":verify:" + peer.cert);
            home.reread("qmail-rspawn");
            assertEquals(0, Dist.run(home.dir, "sendmail", "-q").code());
            await("alice's message", () -> peer.mailbox("alice").size() == 1);
            assertEquals("secret\n", afterHeader(peer.mailbox("alice").get(0)));
            RemoteIT.awaitEmptyQueue(home, 60);
        }
    }
}
