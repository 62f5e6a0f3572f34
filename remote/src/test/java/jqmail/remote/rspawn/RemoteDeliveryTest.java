package jqmail.remote.rspawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import jqmail.common.Control;
import jqmail.common.Outcome;
import jqmail.common.SpawnWire;
import jqmail.remote.route.DownedHosts;
import jqmail.remote.route.Resolver;
import jqmail.remote.route.RouteFailure;
import jqmail.remote.route.Router;
import jqmail.remote.smtp.FakePeer;
import jqmail.remote.smtp.Messages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** qmail-rspawn's policy files and backoff, as one delivery meets them, against a scripted peer. */
@Timeout(60)
class RemoteDeliveryTest {
    @TempDir
    Path control;

    /** Every route here is in smtproutes; DNS is never asked. */
    private static final Resolver NO_DNS = new Resolver() {
        @Override
        public List<Mx> mx(String domain) throws RouteFailure {
            throw new AssertionError("DNS asked for " + domain);
        }

        @Override
        public List<InetAddress> addresses(String host) throws RouteFailure {
            throw new AssertionError("DNS asked for " + host);
        }
    };

    private RemoteDelivery delivery(Backoff backoff) throws Exception {
        Files.writeString(control.resolve("me"), "client.example\n");
        Control c = new Control(control);
        return new RemoteDelivery(null, new Router(c, NO_DNS), new DownedHosts(Clock.systemUTC()), new Connections(),
            backoff, Settings.read(c));
    }

    private static Job job(String domain, String... recipients) {
        List<SpawnWire.Request> rs = new java.util.ArrayList<>();
        for (String r : recipients) {
            rs.add(new SpawnWire.Request(Integer.toString(rs.size()), null, "a@client.example", r));
        }
        return new Job(null, "a@client.example", domain, rs);
    }

    private static void deliverOne(FakePeer.Session s, String rcpt) throws Exception {
        s.expect("MAIL FROM:<a@client.example>");
        s.expect("RCPT TO:<" + rcpt + ">");
        s.reply("250 ok", "250 ok");
        s.expect("DATA");
        s.reply("354 go on");
        s.readData();
        s.reply("250 queued");
    }

    @Test
    void aDestinationThatSays421IsNotConnectedToAgainForAWhile() throws Exception {
        try (FakePeer peer = new FakePeer(s -> s.reply("421 4.7.0 Try again later, closing connection."))) {
            Files.writeString(control.resolve("smtproutes"), "slow.example:[127.0.0.1]:" + peer.address().getPort());
            RemoteDelivery d = delivery(new Backoff(System::currentTimeMillis));
            Outcome first = d.deliver(job("slow.example", "x@slow.example"), Messages.of("hi\n")).get(0);
            assertEquals('Z', first.letter());
            assertTrue(first.text().contains("421 4.7.0 Try again later"), first.text());
            // The peer takes no second connection: a try would time out, not say this.
            Outcome second = d.deliver(job("slow.example", "y@slow.example"), Messages.of("hi\n")).get(0);
            assertEquals('Z', second.letter());
            // smtproutes names a relay: the relay is the destination that backs off, for every domain it serves.
            assertTrue(second.text().startsWith("Not trying [127.0.0.1] for 60 more seconds")
                && second.text().contains("421 4.7.0 Try again later"), second.text());
        }
    }

    @Test
    void aSmarthostNamedInRelayauthGetsTheLogin() throws Exception {
        String plain = Base64.getEncoder().encodeToString("\0alice\0pass:word".getBytes(StandardCharsets.UTF_8));
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("PIPELINING", "AUTH PLAIN LOGIN");
            s.expect("AUTH PLAIN " + plain);
            s.reply("235 2.7.0 ok");
            deliverOne(s, "x@far.example");
        })) {
            Files.writeString(control.resolve("smtproutes"), ":[127.0.0.1]:" + peer.address().getPort());
            Path auth = control.resolve("relayauth");
            Files.writeString(auth, "[127.0.0.1]:alice:pass:word\n");
            Files.setPosixFilePermissions(auth, PosixFilePermissions.fromString("rw-------"));
            Outcome o = delivery(new Backoff(System::currentTimeMillis))
                .deliver(job("far.example", "x@far.example"), Messages.of("hi\n")).get(0);
            assertEquals('K', o.letter(), o.text());
        }
    }

    @Test
    void aDestinationThatMustVerifyIsNotSentToInPlainText() throws Exception {
        try (FakePeer peer = new FakePeer(s -> {
            s.ehlo("PIPELINING");
            assertTrue(s.closedByClient(), "no MAIL without TLS");
        })) {
            Files.writeString(control.resolve("smtproutes"), "bank.example:[127.0.0.1]:" + peer.address().getPort());
            Files.writeString(control.resolve("tlsdestinations"), "bank.example:verify\n");
            Outcome o = delivery(new Backoff(System::currentTimeMillis))
                .deliver(job("bank.example", "x@bank.example"), Messages.of("hi\n")).get(0);
            assertEquals('Z', o.letter());
            assertTrue(o.text().contains("TLS is required but 127.0.0.1 does not offer STARTTLS"), o.text());
        }
    }
}
