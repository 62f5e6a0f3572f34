package jqmail.remote.route;

import static jqmail.remote.route.FakeResolver.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jqmail.common.Control;
import jqmail.remote.route.Resolver.Mx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DnsResolver against a real DNS server: a dnsmasq started on a loopback
 * port for this class, holding a small .test zone. Its upstream for
 * fail.test is a port nobody answers on, so those questions time out; it
 * refuses names outside .test. Skipped only when dnsmasq is not installed.
 */
class DnsResolverTest {
    static final Path DNSMASQ = Path.of("/usr/sbin/dnsmasq");

    static Process dnsmasq;
    static int port;

    @TempDir
    static Path dnsmasqDir;

    @TempDir
    Path control;

    /** The port dnsmasq answers on, starting it on first use. */
    static synchronized int dnsmasq() throws Exception {
        assumeTrue(Files.isExecutable(DNSMASQ), "dnsmasq (Debian's dnsmasq-base) is installed by scripts/deps test");
        if (dnsmasq != null) {
            return port;
        }
        for (int attempt = 0; attempt < 5 && dnsmasq == null; attempt++) {
            int p = freePort();
            Process proc = new ProcessBuilder(DNSMASQ.toString(), "--no-daemon", "--conf-file=/dev/null",
                "--port=" + p, "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
                "--log-queries", "--log-facility=" + dnsmasqDir.resolve("queries.log"),
                "--local=/test/",
                "--mx-host=mail.test,mx2.test,20", "--mx-host=mail.test,mx1.test,10",
                "--host-record=mx1.test,192.0.2.1,2001:db8::1", "--host-record=mx2.test,192.0.2.2",
                "--host-record=plain.test,192.0.2.9,2001:db8::9",
                "--cname=alias.test,mail.test", "--cname=www.test,plain.test",
                "--dns-rr=nullmx.test,15,000000",
                "--server=/fail.test/127.0.0.1#" + freePort())
                .redirectErrorStream(true).redirectOutput(dnsmasqDir.resolve("dnsmasq.out").toFile()).start();
            if (answers(p, proc)) {
                dnsmasq = proc;
                port = p;
            } else {
                proc.destroy();
                proc.waitFor();
            }
        }
        assertTrue(dnsmasq != null, "dnsmasq did not start: " + Files.readString(dnsmasqDir.resolve("dnsmasq.out")));
        return port;
    }

    @AfterAll
    static void stopDnsmasq() throws Exception {
        if (dnsmasq != null) {
            dnsmasq.destroy();
            dnsmasq.waitFor();
        }
    }

    /** A loopback port free for both UDP and TCP just now. */
    static int freePort() throws IOException {
        try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), tcp.getLocalPort()))) {
            return udp.getLocalPort();
        } catch (java.net.BindException e) {
            return freePort();
        }
    }

    static boolean answers(int p, Process proc) throws Exception {
        Path c = Files.createTempDirectory(dnsmasqDir, "probe");
        Files.writeString(c.resolve("dnsservers"), "127.0.0.1:" + p + "\n");
        DnsResolver r = new DnsResolver(new Control(c), Duration.ofMillis(200), 1);
        for (int i = 0; i < 50 && proc.isAlive(); i++) {
            try {
                r.addresses("mx2.test");
                return true;
            } catch (RouteFailure f) {
                Thread.sleep(100);
            }
        }
        return false;
    }

    DnsResolver resolver() throws Exception {
        Files.writeString(control.resolve("dnsservers"), "127.0.0.1:" + dnsmasq() + "\n");
        return new DnsResolver(new Control(control), Duration.ofMillis(300), 2);
    }

    static List<String> show(List<Hop> hops) {
        List<String> out = new ArrayList<>();
        for (Hop h : hops) {
            out.add(h.host() + " " + h.address().getHostAddress());
        }
        return out;
    }

    @Test
    void mxRecordsAndTheirAddresses() throws Exception {
        DnsResolver r = resolver();
        List<Mx> mx = new ArrayList<>(r.mx("mail.test"));
        mx.sort((a, b) -> a.preference() - b.preference());
        assertEquals(List.of(new Mx(10, "mx1.test"), new Mx(20, "mx2.test")), mx);
        assertEquals(List.of(ip("2001:db8::1"), ip("192.0.2.1")), r.addresses("mx1.test"), "AAAA first, then A");
        assertEquals(List.of(ip("192.0.2.2")), r.addresses("mx2.test"));
        assertEquals("mx1.test", r.addresses("mx1.test").get(0).getHostName());
    }

    @Test
    void routerOverRealDnsGoesByPreference() throws Exception {
        Router router = new Router(new Control(control), resolver());
        assertEquals(List.of("mx1.test 2001:db8:0:0:0:0:0:1", "mx1.test 192.0.2.1", "mx2.test 192.0.2.2"),
            show(router.route("mail.test")));
        assertEquals(show(router.route("mail.test")), show(router.route("alias.test")), "an MX reached through a CNAME");
    }

    @Test
    void noMxFallsBackToTheDomainsAddresses() throws Exception {
        DnsResolver r = resolver();
        assertEquals(List.of(), r.mx("plain.test"));
        assertEquals(List.of("plain.test 2001:db8:0:0:0:0:0:9", "plain.test 192.0.2.9"),
            show(new Router(new Control(control), r).route("plain.test")));
        assertEquals(List.of(ip("2001:db8::9"), ip("192.0.2.9")), r.addresses("www.test"), "addresses through a CNAME");
    }

    @Test
    void nullMxIsPermanent() throws Exception {
        RouteFailure f = assertThrows(RouteFailure.class, () -> resolver().mx("nullmx.test"));
        assertTrue(f.permanent());
        assertEquals("Sorry, nullmx.test does not accept mail (null MX). (#5.1.10)", f.getMessage());
    }

    @Test
    void nxdomainIsPermanent() throws Exception {
        DnsResolver r = resolver();
        RouteFailure f = assertThrows(RouteFailure.class, () -> r.mx("nothere.test"));
        assertTrue(f.permanent());
        assertEquals("Sorry, I couldn't find any host named nothere.test. (#5.1.2)", f.getMessage());
        assertTrue(assertThrows(RouteFailure.class, () -> r.addresses("nothere.test")).permanent());
    }

    @Test
    void anUnreachableUpstreamIsTemporary() throws Exception {
        DnsResolver r = resolver();
        RouteFailure f = assertThrows(RouteFailure.class, () -> r.mx("x.fail.test"));
        assertFalse(f.permanent());
        assertEquals("Sorry, the DNS lookup of x.fail.test (MX) failed temporarily: no answer from 127.0.0.1:" + port
            + ". (#4.4.3)", f.getMessage());
        assertFalse(assertThrows(RouteFailure.class, () -> r.addresses("x.fail.test")).permanent());
    }

    @Test
    void aRefusedQuestionIsTemporary() throws Exception {
        RouteFailure f = assertThrows(RouteFailure.class, () -> resolver().mx("elsewhere.example"));
        assertFalse(f.permanent());
        assertTrue(f.getMessage().contains("REFUSED from 127.0.0.1:" + port), f.getMessage());
    }

    @Test
    void aDeadServerIsPassedOverForTheNextOne() throws Exception {
        int p = dnsmasq();
        Files.writeString(control.resolve("dnsservers"), "127.0.0.1:" + freePort() + "\n127.0.0.1:" + p + "\n");
        DnsResolver r = new DnsResolver(new Control(control), Duration.ofMillis(300), 1);
        assertEquals(List.of(ip("192.0.2.2")), r.addresses("mx2.test"));
    }

    /**
     * Stealth: DnsResolver asks no PTR question, and every hop's address
     * already carries its name, so the JDK has nothing to look up either.
     */
    @Test
    void noReverseLookups() throws Exception {
        Router router = new Router(new Control(control), resolver());
        for (Hop h : router.route("mail.test")) {
            assertEquals(h.host(), h.address().getHostName());
        }
        Path log = dnsmasqDir.resolve("queries.log");
        String text = "";
        for (int i = 0; i < 50 && !text.contains("query[A] mx2.test"); i++) {
            Thread.sleep(50);
            text = Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        }
        assertTrue(text.contains("query[A] mx2.test"), "dnsmasq logs the questions: " + text);
        assertFalse(text.contains("query[PTR]"), text);
    }

    @Test
    void dnsserversLines() throws Exception {
        assertEquals(new InetSocketAddress(ip("192.0.2.53"), 53), DnsResolver.server("192.0.2.53"));
        assertEquals(new InetSocketAddress(ip("192.0.2.53"), 5353), DnsResolver.server("192.0.2.53:5353"));
        assertEquals(new InetSocketAddress(ip("2001:db8::53"), 53), DnsResolver.server("2001:db8::53"));
        assertEquals(new InetSocketAddress(ip("2001:db8::53"), 5353), DnsResolver.server("[2001:db8::53]:5353"));
        for (String bad : List.of("dns.example", "192.0.2.53:0", "192.0.2.53:x", "[2001:db8::53", "[::1]5353", "")) {
            assertThrows(IOException.class, () -> DnsResolver.server(bad), bad);
        }
    }
}
