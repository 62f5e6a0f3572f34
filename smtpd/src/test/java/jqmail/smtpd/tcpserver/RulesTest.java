package jqmail.smtpd.tcpserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesTest {
    @TempDir
    Path dir;

    static final String TEXT = """
        # comment
        127.:allow,RELAYCLIENT=""
        10.1.2.5-7:allow,RELAYCLIENT="",NOTE=/a:deny,b/
        192.0.2.1:deny
        198.51.100.0/24:allow,CIDR="v4"
        2001:db8::1:allow,RELAYCLIENT=""
        2001:db8:aa::/48:deny
        =host.example:deny
        :allow,DEFAULT="yes"
        """;

    Rules compile(String text) throws Exception {
        Path cdb = dir.resolve("rules.cdb");
        TcpRulesMain.compile(new BufferedReader(new StringReader(text))).install(cdb, dir.resolve("rules.tmp"));
        return new Rules(cdb, false);
    }

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void lookupFollowsTcprulesOrder() throws Exception {
        Rules r = compile(TEXT);
        assertEquals(Map.of("RELAYCLIENT", ""), r.lookup(ip("127.0.0.1")).env(), "prefix 127.");
        assertEquals(Map.of("RELAYCLIENT", "", "NOTE", "a:deny,b"), r.lookup(ip("10.1.2.6")).env(), "range, delimiter /");
        assertEquals(Map.of("DEFAULT", "yes"), r.lookup(ip("10.1.2.8")).env(), "outside the range");
        assertTrue(r.lookup(ip("192.0.2.1")).deny());
        assertEquals(Map.of("CIDR", "v4"), r.lookup(ip("198.51.100.200")).env());
        assertEquals(Map.of("RELAYCLIENT", ""), r.lookup(ip("2001:db8:0:0:0:0:0:1")).env(), "IPv6, any spelling");
        assertTrue(r.lookup(ip("2001:db8:aa:ffff::9")).deny(), "IPv6 CIDR");
        assertEquals(Map.of("DEFAULT", "yes"), r.lookup(ip("2001:db8:ab::9")).env());
    }

    @Test
    void missingRulesDenyUnlessToldOtherwise() throws Exception {
        assertTrue(new Rules(dir.resolve("none.cdb"), false).lookup(ip("127.0.0.1")).deny());
        assertFalse(new Rules(dir.resolve("none.cdb"), true).lookup(ip("127.0.0.1")).deny());
        assertFalse(new Rules(null, false).lookup(ip("127.0.0.1")).deny());
    }

    @Test
    void badLinesAreRefusedWithTheirNumber() {
        for (String bad : new String[] {"1.2.3.4", "1.2.3.4:maybe", "1.2.3.4:allow,X", "1.2.3.4:allow,X=\"open",
            "1.2.3.4-2:allow", "1.2.3.4/33:allow", "zz::1:allow", "1.2.3.4:allow,1X=\"\""}) {
            Rule.BadRule e = assertThrows(Rule.BadRule.class,
                () -> TcpRulesMain.compile(new BufferedReader(new StringReader("# x\n" + bad + "\n"))), bad);
            assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        }
    }

    @Test
    void canonicalIpv6() throws Exception {
        assertEquals("2001:db8::1", Rule.canonical(ip("2001:0DB8:0:0:0:0:0:1")));
        assertEquals("::1", Rule.canonical(ip("::1")));
        assertEquals("2001:db8:0:1:1:1:1:1", Rule.canonical(ip("2001:db8:0:1:1:1:1:1")));
        assertEquals("2001:0:0:1::1", Rule.canonical(ip("2001:0:0:1:0:0:0:1")));
    }

    /** Debian's ucspi-tcp tcprules writes cdb files our tcpserver reads, and the reverse. */
    @Test
    void compatibleWithUcspiTcp() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tcprules")), "ucspi-tcp is installed by scripts/deps test");
        String text = "127.:allow,RELAYCLIENT=\"\"\n192.0.2.1:deny\n:allow,X=\"y\"\n";
        Path theirs = dir.resolve("theirs.cdb");
        Process p = new ProcessBuilder("/usr/bin/tcprules", theirs.toString(), dir.resolve("t.tmp").toString()).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        assertEquals(0, p.waitFor());
        Rules r = new Rules(theirs, false);
        assertEquals(Map.of("RELAYCLIENT", ""), r.lookup(ip("127.0.0.9")).env());
        assertTrue(r.lookup(ip("192.0.2.1")).deny());
        assertEquals(Map.of("X", "y"), r.lookup(ip("203.0.113.1")).env());

        Path ours = dir.resolve("ours.cdb");
        TcpRulesMain.compile(new BufferedReader(new StringReader(text))).install(ours, dir.resolve("o.tmp"));
        for (String[] c : List.of(new String[] {"127.0.0.9", "set environment variable RELAYCLIENT="},
            new String[] {"192.0.2.1", "deny connection"}, new String[] {"203.0.113.1", "set environment variable X=y"})) {
            ProcessBuilder check = new ProcessBuilder("/usr/bin/tcprulescheck", ours.toString());
            check.environment().put("TCPREMOTEIP", c[0]);
            Process q = check.start();
            String out = new String(q.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            q.waitFor();
            assertTrue(out.contains(c[1]), c[0] + ": " + out);
        }
    }
}
