package jqmail.remote.route;

import static jqmail.remote.route.FakeResolver.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jqmail.common.Control;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouterTest {
    @TempDir
    Path control;

    FakeResolver dns = new FakeResolver();

    Router router(String smtproutes) throws IOException {
        if (smtproutes != null) {
            Files.writeString(control.resolve("smtproutes"), smtproutes, StandardCharsets.ISO_8859_1);
        }
        return new Router(new Control(control), dns);
    }

    /** Each hop as "host address:port", plus " smarthost" for smtproutes hops. */
    static List<String> show(List<Hop> hops) {
        List<String> out = new ArrayList<>();
        for (Hop h : hops) {
            out.add(h.host() + " " + h.address().getHostAddress() + ":" + h.port() + (h.smarthost() ? " smarthost" : ""));
        }
        return out;
    }

    @Test
    void exactDomainGoesToItsRelayWithoutAnyMxLookup() throws Exception {
        dns.withMx("example.com", 10, "mx.example.com").withHost("relay.test", "192.0.2.1");
        Router r = router("example.com:relay.test\n");
        assertEquals(List.of("relay.test 192.0.2.1:25 smarthost"), show(r.route("example.com")));
        assertEquals(List.of("A relay.test"), dns.asked);
    }

    @Test
    void relayPortAndAddressLiterals() throws Exception {
        dns.withHost("relay.test", "192.0.2.1");
        Router r = router("""
            a.test:relay.test:2525
            b.test:[192.0.2.7]:26
            c.test:[IPv6:2001:db8::7]:27
            d.test:192.0.2.8
            e.test:[2001:db8::9]
            """);
        assertEquals(List.of("relay.test 192.0.2.1:2525 smarthost"), show(r.route("a.test")));
        assertEquals(List.of("[192.0.2.7] 192.0.2.7:26 smarthost"), show(r.route("b.test")));
        assertEquals(List.of("[IPv6:2001:db8::7] 2001:db8:0:0:0:0:0:7:27 smarthost"), show(r.route("c.test")));
        assertEquals(List.of("192.0.2.8 192.0.2.8:25 smarthost"), show(r.route("d.test")));
        assertEquals(List.of("[2001:db8::9] 2001:db8:0:0:0:0:0:9:25 smarthost"), show(r.route("e.test")));
        assertEquals(List.of("A relay.test"), dns.asked, "literals are used without DNS");
    }

    @Test
    void dotDomainCoversSubdomainsOnlyAndTheLongestSuffixWins() throws Exception {
        dns.withHost("r1.test", "192.0.2.1").withHost("r2.test", "192.0.2.2").withMx("example.com", 5, "mx.example.com")
            .withHost("mx.example.com", "192.0.2.5");
        Router r = router(".example.com:r2.test\n.a.example.com:r1.test\n");
        assertEquals(List.of("r2.test 192.0.2.2:25 smarthost"), show(r.route("b.example.com")));
        assertEquals(List.of("r1.test 192.0.2.1:25 smarthost"), show(r.route("x.a.example.com")));
        assertEquals(List.of("r2.test 192.0.2.2:25 smarthost"), show(r.route("a.example.com")));
        assertEquals(List.of("mx.example.com 192.0.2.5:25"), show(r.route("example.com")),
            ".example.com does not cover example.com itself");
    }

    @Test
    void emptyKeyIsTheSmarthostAndAnEmptyRelayMeansMx() throws Exception {
        dns.withHost("smart.test", "192.0.2.25").withMx("here.test", 10, "mx.here.test").withHost("mx.here.test", "192.0.2.10");
        Router r = router("# smarthost for all but here.test\n:smart.test:587\nhere.test:\n");
        assertEquals(List.of("smart.test 192.0.2.25:587 smarthost"), show(r.route("anywhere.example")));
        assertEquals(List.of("smart.test 192.0.2.25:587 smarthost"), show(r.route("[192.0.2.99]")),
            "the smarthost takes address literals too, as in qmail");
        assertEquals(List.of("mx.here.test 192.0.2.10:25"), show(r.route("here.test")));
        assertEquals(List.of("smart.test 192.0.2.25:587 smarthost"), show(r.route("sub.here.test")),
            "here.test: is that domain only");
    }

    @Test
    void keysIgnoreCaseAndALaterLineReplacesAnEarlierOne() throws Exception {
        dns.withHost("old.test", "192.0.2.1").withHost("new.test", "192.0.2.2");
        Router r = router("Example.COM:old.test\nexample.com:new.test\nno colon here\n");
        assertEquals(List.of("new.test 192.0.2.2:25 smarthost"), show(r.route("EXAMPLE.com")));
    }

    @Test
    void malformedRelaysAreErrorsNamingTheLine() {
        for (String bad : List.of("a.test:relay.test:port", "a.test:relay.test:0", "a.test:relay.test:65536",
            "a.test:[192.0.2.1", "a.test:[192.0.2.1]x", "a.test:[example.com]", "a.test::25")) {
            IOException e = assertThrows(IOException.class, () -> router(bad + "\n"), bad);
            assertTrue(e.getMessage().startsWith("control/smtproutes: ") && e.getMessage().endsWith(bad), e.getMessage());
        }
    }

    @Test
    void mxByPreferenceWithEqualPreferencesShuffled() throws Exception {
        dns.withMx("example.com", 20, "c.mx", 10, "a.mx", 30, "e.mx", 10, "b.mx", 20, "d.mx");
        for (String h : List.of("a", "b", "c", "d", "e")) {
            dns.withHost(h + ".mx", "192.0.2." + (h.charAt(0) - 'a' + 1));
        }
        Router r = router(null);
        Set<List<String>> orders = new HashSet<>();
        for (int i = 0; i < 400; i++) {
            List<String> hosts = new ArrayList<>();
            for (Hop h : r.route("example.com")) {
                hosts.add(h.host());
            }
            assertEquals(Set.of("a.mx", "b.mx"), Set.copyOf(hosts.subList(0, 2)), hosts.toString());
            assertEquals(Set.of("c.mx", "d.mx"), Set.copyOf(hosts.subList(2, 4)), hosts.toString());
            assertEquals("e.mx", hosts.get(4));
            orders.add(hosts);
        }
        assertEquals(4, orders.size(), "both orders of each equal pair occur: " + orders);
    }

    @Test
    void eachHostGivesAllItsAddressesIpv6FirstAndNoAddressTwice() throws Exception {
        dns.withMx("example.com", 10, "a.mx", 20, "b.mx")
            .withHost("a.mx", "192.0.2.1", "2001:db8::1", "192.0.2.2", "2001:db8::2")
            .withHost("b.mx", "192.0.2.2", "192.0.2.3");
        assertEquals(List.of("a.mx 2001:db8:0:0:0:0:0:1:25", "a.mx 2001:db8:0:0:0:0:0:2:25", "a.mx 192.0.2.1:25",
            "a.mx 192.0.2.2:25", "b.mx 192.0.2.3:25"), show(router(null).route("example.com")));
    }

    @Test
    void familyOrderIsConfigurable() throws Exception {
        dns.withMx("example.com", 10, "a.mx").withHost("a.mx", "2001:db8::1", "192.0.2.1");
        Files.writeString(control.resolve("remoteipfamilies"), "ipv4 ipv6\n");
        assertEquals(List.of("a.mx 192.0.2.1:25", "a.mx 2001:db8:0:0:0:0:0:1:25"), show(router(null).route("example.com")));
        Files.writeString(control.resolve("remoteipfamilies"), "ipv4\n");
        assertEquals(List.of("a.mx 192.0.2.1:25"), show(router(null).route("example.com")));
        Files.writeString(control.resolve("remoteipfamilies"), "ipv6\n");
        assertEquals(List.of("a.mx 2001:db8:0:0:0:0:0:1:25"), show(router(null).route("example.com")));
        Files.writeString(control.resolve("remoteipfamilies"), "ipv5\n");
        assertThrows(IOException.class, () -> router(null));
    }

    @Test
    void noMxMeansTheDomainsOwnAddresses() throws Exception {
        dns.withHost("plain.test", "192.0.2.9", "2001:db8::9");
        assertEquals(List.of("plain.test 2001:db8:0:0:0:0:0:9:25", "plain.test 192.0.2.9:25"),
            show(router(null).route("plain.test")));
        assertEquals(List.of("MX plain.test", "A plain.test"), dns.asked);
    }

    @Test
    void addressLiteralDomainIsThatAddress() throws Exception {
        Router r = router(null);
        assertEquals(List.of("[192.0.2.4] 192.0.2.4:25"), show(r.route("[192.0.2.4]")));
        assertEquals(List.of("[IPv6:2001:db8::4] 2001:db8:0:0:0:0:0:4:25"), show(r.route("[IPv6:2001:db8::4]")));
        assertEquals(List.of(), dns.asked);
    }

    @Test
    void nullMxFailsPermanentlyWithoutFallingBackToAddresses() throws Exception {
        dns.withMx("nomail.test", 0, ".").withHost("nomail.test", "192.0.2.1");
        RouteFailure f = assertThrows(RouteFailure.class, () -> router(null).route("nomail.test"));
        assertTrue(f.permanent());
        assertEquals("Sorry, nomail.test does not accept mail (null MX). (#5.1.10)", f.getMessage());
        assertEquals(List.of("MX nomail.test"), dns.asked);
    }

    @Test
    void aRootExchangeBesideRealOnesIsIgnored() throws Exception {
        dns.withMx("odd.test", 0, ".", 10, "mx.odd.test").withHost("mx.odd.test", "192.0.2.1");
        assertEquals(List.of("mx.odd.test 192.0.2.1:25"), show(router(null).route("odd.test")));
    }

    @Test
    void nxdomainIsPermanentAndServfailTemporary() throws Exception {
        Router r = router(null);
        RouteFailure nx = assertThrows(RouteFailure.class, () -> r.route("example.invalid"));
        assertTrue(nx.permanent());
        assertEquals("Sorry, I couldn't find any host named example.invalid. (#5.1.2)", nx.getMessage());
        assertEquals('D', nx.outcome().letter());

        dns.failing("MX broken.test", RouteFailure.lookupFailed("broken.test", "MX", "SERVFAIL from 127.0.0.1:53"));
        RouteFailure sf = assertThrows(RouteFailure.class, () -> r.route("broken.test"));
        assertFalse(sf.permanent());
        assertEquals("Sorry, the DNS lookup of broken.test (MX) failed temporarily: SERVFAIL from 127.0.0.1:53. (#4.4.3)",
            sf.getMessage());
        assertEquals('Z', sf.outcome().letter());
    }

    @Test
    void exchangersThatDoNotResolveAreSkipped() throws Exception {
        dns.withMx("example.com", 10, "gone.mx", 20, "ok.mx").withHost("ok.mx", "192.0.2.20");
        assertEquals(List.of("ok.mx 192.0.2.20:25"), show(router(null).route("example.com")));
    }

    @Test
    void noExchangerWithAnAddressIsPermanentUnlessALookupFailedTemporarily() throws Exception {
        dns.withMx("example.com", 10, "gone.mx", 20, "empty.mx").withMx("empty.mx");
        RouteFailure f = assertThrows(RouteFailure.class, () -> router(null).route("example.com"));
        assertTrue(f.permanent());
        assertEquals("Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)", f.getMessage());

        dns.failing("A empty.mx", RouteFailure.lookupFailed("empty.mx", "A", "no answer from 127.0.0.1:53"));
        RouteFailure soft = assertThrows(RouteFailure.class, () -> router(null).route("example.com"));
        assertFalse(soft.permanent(), soft.getMessage());

        dns.withHost("nothing.test").withMx("nothing.test");
        RouteFailure none = assertThrows(RouteFailure.class, () -> router(null).route("nothing.test"));
        assertTrue(none.permanent());
        assertEquals("Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)", none.getMessage());
    }

    @Test
    void aRelayThatDoesNotResolveIsTemporary() throws Exception {
        Router r = router(":typo.test\n");
        RouteFailure f = assertThrows(RouteFailure.class, () -> r.route("example.com"));
        assertFalse(f.permanent());
        assertEquals("Sorry, I couldn't find the relay typo.test named in control/smtproutes. (#4.4.3)", f.getMessage());
    }

    @Test
    void hopsCarryTheirHostNameSoNothingResolvesThem() throws Exception {
        dns.withMx("example.com", 10, "a.mx").withHost("a.mx", "192.0.2.1");
        Hop h = router(null).route("example.com").get(0);
        assertEquals("a.mx", h.address().getHostName());
        assertEquals(ip("192.0.2.1"), h.address());
    }
}
