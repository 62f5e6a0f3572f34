package jqmail.remote.route;

import static jqmail.remote.route.FakeResolver.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownedHostsTest {
    /** A clock the test moves by hand. */
    static final class MovedClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void move(long seconds) {
            now = now.plusSeconds(seconds);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    MovedClock clock = new MovedClock();
    DownedHosts downed = new DownedHosts(clock);
    InetAddress v4 = ip("192.0.2.1");
    InetAddress v6 = ip("2001:db8::1");

    @TempDir
    Path dir;

    /** Two timeouts that count: the second at least two minutes after the first. */
    void downNow(InetAddress a) {
        downed.timedOut(a);
        clock.move(DownedHosts.COALESCE_SECONDS);
        downed.timedOut(a);
    }

    @Test
    void oneTimeoutIsNotEnoughAndABurstCountsOnce() {
        downed.timedOut(v4);
        assertFalse(downed.isDown(v4));
        clock.move(60);
        downed.timedOut(v4);
        clock.move(59);
        downed.timedOut(v4);
        assertFalse(downed.isDown(v4), "timeouts less than two minutes after the one that counted do not count");
        clock.move(1);
        downed.timedOut(v4);
        assertTrue(downed.isDown(v4));
    }

    @Test
    void aSteadyStreamOfTimeoutsStillCounts() {
        for (int i = 0; i < 3; i++) {
            downed.timedOut(v4);
            clock.move(61);
        }
        assertTrue(downed.isDown(v4), "a timeout every 61 s counts every other one; qmail's would never count twice");
    }

    @Test
    void skippedForQmailsHourThenOneCallerProbes() {
        downNow(v4);
        long skip = DownedHosts.skip(v4, 2);
        assertTrue(skip >= 3840 && skip <= 5824, "qmail's (60 + 0..31) << 6 seconds: " + skip);
        clock.move(skip - 1);
        assertTrue(downed.isDown(v4));
        clock.move(1);
        assertFalse(downed.isDown(v4), "the skip is over: this caller tries the host");
        assertTrue(downed.isDown(v4), "while that attempt is under way, the others still skip it");
        clock.move(DownedHosts.PROBE_SECONDS);
        assertFalse(downed.isDown(v4), "an attempt that never reported frees the probe after a while");
    }

    @Test
    void theSkipGrowsWithRepeatedTimeoutsUpToFourTimes() {
        downNow(v4);
        long base = DownedHosts.skip(v4, 2);
        assertEquals(2 * base, DownedHosts.skip(v4, 3));
        assertEquals(4 * base, DownedHosts.skip(v4, 4));
        assertEquals(4 * base, DownedHosts.skip(v4, DownedHosts.MAX_COUNT));

        clock.move(base);
        assertFalse(downed.isDown(v4));
        downed.timedOut(v4); // the probe timed out too: third counted timeout
        clock.move(2 * base - 1);
        assertTrue(downed.isDown(v4));
        clock.move(1);
        assertFalse(downed.isDown(v4));
        downed.timedOut(v4);
        clock.move(4 * base - 1);
        assertTrue(downed.isDown(v4));
    }

    @Test
    void aConnectionClearsItAndIpv6IsKeptApart() {
        downNow(v4);
        downNow(v6);
        assertTrue(downed.isDown(v6));
        downed.connected(v4);
        assertFalse(downed.isDown(v4));
        assertTrue(downed.isDown(v6));
        downed.timedOut(v4);
        assertFalse(downed.isDown(v4), "counting starts again after a connection");
    }

    @Test
    void theAddressIsTheKeyWhateverHostNameItCarries() throws Exception {
        downNow(InetAddress.getByAddress("mx1.example", v4.getAddress()));
        assertTrue(downed.isDown(InetAddress.getByAddress("other.example", v4.getAddress())));
        assertTrue(downed.isDown(v4));
    }

    @Test
    void anOldTimeoutIsForgotten() {
        downed.timedOut(v4);
        clock.move(DownedHosts.FORGET_SECONDS + 1);
        downed.timedOut(v4);
        assertFalse(downed.isDown(v4), "a timeout a day ago does not make today's the second");
    }

    @Test
    void describeListsWhatIsSkippedWithTheTimeLeftAndResetClearsAll() {
        downNow(v4);
        downNow(v6);
        clock.move(100);
        downed.timedOut(ip("192.0.2.99")); // one timeout: not skipped, not listed
        List<String> lines = downed.describe();
        assertEquals(List.of(
            "192.0.2.1 timed out 220 seconds ago; # recent timeouts: 2; skipped for " + (DownedHosts.skip(v4, 2) - 220)
                + " more seconds",
            "2001:db8:0:0:0:0:0:1 timed out 100 seconds ago; # recent timeouts: 2; skipped for "
                + (DownedHosts.skip(v6, 2) - 100) + " more seconds"), lines);
        downed.reset();
        assertEquals(List.of(), downed.describe());
        assertFalse(downed.isDown(v4));
        assertFalse(downed.isDown(v6));
    }

    @Test
    void saveAndLoadKeepTheTableAcrossARestart() throws Exception {
        downNow(v4);
        downNow(v6);
        downed.timedOut(ip("192.0.2.2"));
        Path f = dir.resolve("tcpto");
        downed.save(f);
        assertFalse(Files.exists(dir.resolve("tcpto.tmp")));
        assertTrue(Files.readString(f).startsWith("jqmail-tcpto 1\n"));

        DownedHosts again = DownedHosts.load(f, clock);
        assertEquals(2, again.describe().size());
        assertEquals(downed.describe(), again.describe());
        assertTrue(again.isDown(v4));
        assertTrue(again.isDown(v6));
        clock.move(DownedHosts.COALESCE_SECONDS);
        again.timedOut(ip("192.0.2.2"));
        assertTrue(again.isDown(ip("192.0.2.2")), "the single timeout came back too, so this one is the second");
    }

    @Test
    void loadingSomethingElseGivesAnEmptyTable() throws Exception {
        assertEquals(List.of(), DownedHosts.load(dir.resolve("missing"), clock).describe());
        Path f = dir.resolve("tcpto");
        Files.writeString(f, "not ours\n192.0.2.1 2 0 0\n");
        assertEquals(List.of(), DownedHosts.load(f, clock).describe());

        long t = clock.instant().getEpochSecond();
        Files.writeString(f, "jqmail-tcpto 1\nexample.com 2 " + t + " " + t + "\n192.0.2.5 two 1 1\n192.0.2.6 2 " + t
            + "\n192.0.2.7 2 " + t + " " + t + "\n", StandardCharsets.US_ASCII);
        DownedHosts d = DownedHosts.load(f, clock);
        assertEquals(1, d.describe().size(), d.describe().toString());
        assertTrue(d.isDown(ip("192.0.2.7")));
    }

    @Test
    void theTableIsBoundedAndEvictsAsQmailDoes() {
        downNow(v4);
        for (int i = 0; i < DownedHosts.MAX_ENTRIES + 10; i++) {
            downed.timedOut(ip("10.0." + (i >> 8) + "." + (i & 255)));
            clock.move(1);
        }
        assertEquals(DownedHosts.MAX_ENTRIES, downed.size());
        assertTrue(downed.isDown(v4), "two timeouts weigh more than one (last + count * 1024)");
        clock.move(DownedHosts.COALESCE_SECONDS);
        downed.timedOut(ip("10.0.0.0"));
        assertFalse(downed.isDown(ip("10.0.0.0")), "the oldest single timeout was evicted: this one is its first");
        downed.timedOut(ip("10.0.4.9"));
        assertTrue(downed.isDown(ip("10.0.4.9")), "the newest was kept: this one is its second");
    }
}
