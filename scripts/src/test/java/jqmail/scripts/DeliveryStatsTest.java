package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import jqmail.scripts.SendLog.Channel;
import jqmail.scripts.SendLog.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jqmail stats over a hand-written qmail-send log of six minutes: every number worked out by hand. */
class DeliveryStatsTest {
    /**
     * From 2026-11-22 06:44:15 UTC: message 101 goes to a local user at once
     * and to a remote one after two deferrals; 102 fails for an unknown local
     * user and its bounce (103) is delivered; 104 is still being delivered
     * when the log ends. Between them: six junk lines, two that are not about
     * deliveries, and two whose beginning is not in the log.
     */
    static final String LOG = """
        @400000006b028f4900000000 status: qmail-send ready
        @400000006b028f4a05f5e100 new msg 101
        @400000006b028f4a05f5e100 info msg 101: bytes 2100 from <alice@example.org> uid 1000
        @400000006b028f4a0bebc200 starting delivery 1: msg 101 to local test.example-carol@test.example
        @400000006b028f4a0bebc200 starting delivery 2: msg 101 to remote bob@Remote.example
        @400000006b028f4a1dcd6500 delivery 1: success: did 1+0+0/
        @400000006b028f4b00000000 delivery 2: deferral: Connected to 192.0.2.7 but connection died. (#4.4.2)/
        @400000006b028f4c00000000 new msg 102
        @400000006b028f4c00000000 info msg 102: bytes 1500 from <carol@test.example> qp 4242 uid 1000
        @400000006b028f4c05f5e100 starting delivery 3: msg 102 to local nobody@test.example
        @400000006b028f4c0ee6b280 delivery 3: failure: Sorry, no mailbox here by that name. (#5.1.1)
        @400000006b028f4c17d78400 bounce msg 102 qp 103
        @400000006b028f4c1dcd6500 new msg 103
        @400000006b028f4c1dcd6500 info msg 103: bytes 900 from <> uid 1000
        @400000006b028f4c23c34600 end msg 102
        @400000006b028f4c23c34600 starting delivery 4: msg 103 to local test.example-carol@test.example
        @400000006b028f4c35a4e900 delivery 4: success: did 1+0+0/
        @400000006b028f4d00000000 end msg 103
        garbage that has no label
        @400000006b028f4zzzzzzzzz delivery 9: success: not a label
        @400000006b028f4e00000000 delivery 1x: success: did 1+0+0/
        @400000006b028f4e00000000 starting delivery 8: msg 101 to sideways a@b
        @400000006b028f4e00000000 info msg 104: bytes lots from <a@b> uid 1
        @400000006b028f4e00000000 end msg 99999999999999999999
        @400000006b028f4e00000000 warning: trouble taking msg 5: No such file; will retry
        @400000006b028f4f00000000 triple bounce: discarding bounce/90
        @400000006b028f4f00000000 delivery 77: deferral: lost its start/
        @400000006b028f4f00000000 end msg 424242
        @400000006b028f8900000000 starting delivery 5: msg 101 to remote bob@Remote.example
        @400000006b028f8a00000000 delivery 5: deferral: Connected to 192.0.2.7 but connection died. (#4.4.2)/
        @400000006b028fad00000000 new msg 104
        @400000006b028fad00000000 info msg 104: bytes 300 from <alice@example.org> uid 1000
        @400000006b028fad05f5e100 starting delivery 7: msg 104 to local test.example-carol@test.example
        @400000006b0290a100000000 starting delivery 6: msg 101 to remote bob@Remote.example
        @400000006b0290a200000000 delivery 6: success: 192.0.2.8 accepted message./Remote host said: 250 ok/
        @400000006b0290a205f5e100 end msg 101
        """;

    @TempDir
    Path dir;

    DeliveryStats stats(String log) throws IOException {
        Path d = Files.createDirectories(dir.resolve("qmail-send"));
        Files.writeString(d.resolve("current"), log, StandardCharsets.UTF_8);
        return StatsCommand.read(d);
    }

    @Test
    void messagesAndTheirDelays() throws IOException {
        DeliveryStats s = stats(LOG);
        assertEquals(36, s.lines);
        assertEquals(6, s.junk);
        assertEquals(2, s.unmatched);
        assertEquals(4, s.received);
        assertEquals(3, s.completed);
        assertEquals(2100 + 1500 + 900, s.completedBytes);
        assertEquals(1, s.pending());
        assertEquals(1, s.bounces);
        assertEquals(1, s.tripleBounces);
        assertEquals(Duration.ofMillis(344_000), s.delayMax);
        assertEquals(Duration.ofMillis(345_100).dividedBy(3), s.averageDelay());
        assertEquals(Instant.parse("2026-11-22T06:44:15Z"), s.first);
        assertEquals(Instant.parse("2026-11-22T06:50:00.100Z"), s.last);
    }

    @Test
    void deliveriesByOutcomeChannelRecipientAndDomain() throws IOException {
        DeliveryStats s = stats(LOG);
        assertEquals(List.of(3L, 1L, 2L), counts(s.all));
        assertEquals(List.of(2L, 1L, 0L), counts(s.byChannel.get(Channel.LOCAL)));
        assertEquals(List.of(1L, 0L, 2L), counts(s.byChannel.get(Channel.REMOTE)));
        assertEquals(3, s.recipients(Outcome.SUCCESS));
        assertEquals(1, s.recipients(Outcome.FAILURE));
        assertEquals(1, s.recipients(Outcome.DEFERRAL), "bob deferred twice is one deferred recipient");
        assertEquals(Duration.ofMillis(1000), s.xdelayMax);
        assertEquals(Duration.ofMillis(3550).dividedBy(6), s.averageXdelay());
        var domains = s.topDomains(10);
        assertEquals("remote.example", domains.get(0).getKey());
        assertEquals(List.of(1L, 0L, 2L), counts(domains.get(0).getValue()));
        assertEquals("test.example", domains.get(1).getKey());
        assertEquals(List.of(2L, 1L, 0L), counts(domains.get(1).getValue()));
    }

    @Test
    void failuresAndDeferralsAreGroupedByReason() throws IOException {
        DeliveryStats s = stats(LOG);
        var failures = DeliveryStats.top(s.failures, 10);
        assertEquals(1, failures.size());
        assertEquals("Sorry, no mailbox here by that name. (#5.1.1)", failures.get(0).text);
        assertEquals(Duration.ofMillis(150), failures.get(0).xdelay);
        var deferrals = DeliveryStats.top(s.deferrals, 10);
        assertEquals(1, deferrals.size());
        assertEquals(2, deferrals.get(0).count);
        assertEquals(Duration.ofMillis(1800), deferrals.get(0).xdelay);
    }

    @Test
    void theReportSaysItPlainly() throws IOException {
        String text = StatsCommand.text(stats(LOG), 10, ZoneOffset.UTC);
        assertTrue(text.startsWith("qmail-send's log from 2026-11-22 06:44:15 to 2026-11-22 06:50:00 (36 lines, "
            + "6 skipped as junk, 2 without their beginning)\n"), text);
        assertTrue(text.contains("\n  completed                3\n"), text);
        assertTrue(text.contains("\n  average delay (s)        115.033\n"), text);
        assertTrue(text.contains("\n  local                         2         1         0\n"), text);
        assertTrue(text.contains("\n  distinct recipients           3         1         1\n"), text);
        assertTrue(text.contains("\n      1       0.150  Sorry, no mailbox here by that name. (#5.1.1)\n"), text);
        assertTrue(text.contains("\n  remote.example                1         0         2\n"), text);
    }

    @Test
    void jsonForScripts() throws IOException {
        String json = StatsCommand.json(stats(LOG), 10);
        assertTrue(json.startsWith("{\"from\":\"2026-11-22T06:44:15Z\",\"to\":\"2026-11-22T06:50:00.100Z\","
            + "\"lines\":36,\"junk\":6,\"unmatched\":2,\"messages\":{\"received\":4,\"completed\":3,\"bytes\":4500,"
            + "\"pending\":1,\"averageDelayMs\":115033,\"maxDelayMs\":344000,\"bounces\":1,\"tripleBounces\":1},"
            + "\"deliveries\":{\"success\":3,\"failure\":1,\"deferral\":2,"), json);
        assertTrue(json.contains("\"recipients\":{\"delivered\":3,\"failed\":1,\"deferred\":1}"), json);
        assertTrue(json.contains("\"failures\":[{\"reason\":\"Sorry, no mailbox here by that name. (#5.1.1)\","
            + "\"count\":1,\"xdelayMs\":150}]"), json);
        assertTrue(json.contains("{\"domain\":\"test.example\",\"delivered\":2,\"failed\":1,\"deferred\":0}"), json);
    }

    @Test
    void topCutsTheListsOfReasonsAndDomains() throws IOException {
        DeliveryStats s = stats(LOG);
        assertEquals(1, s.topDomains(1).size());
        assertEquals(0, DeliveryStats.top(s.deferrals, 0).size());
        assertTrue(StatsCommand.text(s, 0, ZoneOffset.UTC).contains("\nReasons for deferral\n  count  xdelay (s)  reason\n"
            + "  and 1 more (--top)\n"));
    }

    @Test
    void rotatedFilesAreReadBeforeCurrent() throws IOException {
        Path d = Files.createDirectories(dir.resolve("qmail-send"));
        int cut = LOG.indexOf("@400000006b028f8900000000");
        Files.writeString(d.resolve("@400000006b028f8800000000.s"), LOG.substring(0, cut));
        Files.writeString(d.resolve("current"), LOG.substring(cut));
        DeliveryStats s = StatsCommand.read(d);
        assertEquals(3, s.completed);
        assertEquals(List.of(3L, 1L, 2L), counts(s.all));
    }

    /** Random bytes and overlong lines are counted as junk: the tool neither crashes nor grows without bound. */
    @Test
    void junkNeverCrashesTheTool() throws IOException {
        Random r = new Random(7);
        StringBuilder b = new StringBuilder(LOG);
        for (int i = 0; i < 2000; i++) {
            byte[] junk = new byte[r.nextInt(200)];
            r.nextBytes(junk);
            b.append(i % 3 == 0 ? "@400000006b028f4e00000000 " : "")
                .append(new String(junk, StandardCharsets.ISO_8859_1).replace('\n', ' ')).append('\n');
        }
        b.append("@400000006b028f4e00000000 delivery 1: failure: ").append("x".repeat(100_000)).append('\n');
        b.append("@400000006b028f4e00000000 starting delivery 3: msg 1 to local ").append("a".repeat(2000)).append('\n');
        DeliveryStats s = stats(b.toString());
        assertEquals(3, s.completed);
        assertEquals(36 + 2000 + 2, s.lines);
        assertTrue(s.junk >= 6 + 2, "overlong and malformed lines are junk: " + s.junk);
        assertEquals(List.of(3L, 1L, 2L), counts(s.all));
    }

    @Test
    void anEmptyLogIsNoTrouble() throws IOException {
        DeliveryStats s = stats("");
        assertEquals(0, s.lines);
        assertTrue(StatsCommand.text(s, 10, ZoneOffset.UTC).startsWith("qmail-send's log, no dated lines (0 lines"));
        assertTrue(StatsCommand.json(s, 10).startsWith("{\"from\":null,\"to\":null,\"lines\":0,"));
    }

    static List<Long> counts(DeliveryStats.Counts c) {
        return List.of(c.get(Outcome.SUCCESS), c.get(Outcome.FAILURE), c.get(Outcome.DEFERRAL));
    }
}
