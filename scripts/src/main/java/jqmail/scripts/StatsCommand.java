package jqmail.scripts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import jqmail.common.Home;
import jqmail.common.Json;
import jqmail.scripts.SendLog.Channel;
import jqmail.scripts.SendLog.Outcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "stats",
    description = "Delivery statistics from qmail-send's log: messages, recipients, delays, reasons, domains.")
final class StatsCommand implements Callable<Integer> {
    static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    @Mixin
    JqmailMain.HomeOption home = new JqmailMain.HomeOption();

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Option(names = "--top", paramLabel = "N", description = "reasons and domains to list (default 10)")
    int top = 10;

    @Override
    public Integer call() throws IOException {
        Home h = home.home();
        Path log = h.log().resolve(Daemons.SCHEDULER);
        if (!Files.isDirectory(log)) {
            System.err.println("jqmail: no log of qmail-send at " + log);
            return JqmailMain.TROUBLE;
        }
        if (top < 0) {
            System.err.println("jqmail: --top: a number of lines, not " + top);
            return JqmailMain.USAGE;
        }
        DeliveryStats s = read(log);
        System.out.print(json ? json(s, top) : text(s, top, ZoneId.systemDefault()));
        return JqmailMain.OK;
    }

    static DeliveryStats read(Path log) throws IOException {
        DeliveryStats s = new DeliveryStats();
        LogFiles.forEach(log, s::add);
        return s;
    }

    static String text(DeliveryStats s, int top, ZoneId zone) {
        StringBuilder b = new StringBuilder();
        DateTimeFormatter t = SECONDS.withZone(zone);
        b.append("qmail-send's log").append(s.first == null ? ", no dated lines"
            : " from " + t.format(s.first) + " to " + t.format(s.last))
            .append(" (").append(s.lines).append(" lines, ").append(s.junk).append(" skipped as junk, ")
            .append(s.unmatched).append(" without their beginning)\n");
        b.append("\nMessages\n");
        row(b, "completed", s.completed);
        row(b, "bytes in completed", s.completedBytes);
        row(b, "not completed", s.pending());
        row(b, "average delay (s)", seconds(s.averageDelay()));
        row(b, "longest delay (s)", seconds(s.delayMax));
        row(b, "bounces sent", s.bounces);
        row(b, "triple bounces dropped", s.tripleBounces);
        b.append(format("%nDeliveries              %9s %9s %9s%n", "success", "failure", "deferral"));
        outcomes(b, "local", s.byChannel.get(Channel.LOCAL));
        outcomes(b, "remote", s.byChannel.get(Channel.REMOTE));
        outcomes(b, "all", s.all);
        b.append(format("  %-21s %9d %9d %9d%n", "distinct recipients", s.recipients(Outcome.SUCCESS),
            s.recipients(Outcome.FAILURE), s.recipients(Outcome.DEFERRAL)));
        row(b, "average xdelay (s)", seconds(s.averageXdelay()));
        row(b, "longest xdelay (s)", seconds(s.xdelayMax));
        reasons(b, "Reasons for failure", DeliveryStats.top(s.failures, top), s.failures.size());
        reasons(b, "Reasons for deferral", DeliveryStats.top(s.deferrals, top), s.deferrals.size());
        b.append(format("%nRecipient domains       %9s %9s %9s%n", "delivered", "failed", "deferred"));
        for (Map.Entry<String, DeliveryStats.Counts> e : s.topDomains(top)) {
            outcomes(b, e.getKey().isEmpty() ? "(none)" : e.getKey(), e.getValue());
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String label, Object value) {
        b.append(format("  %-24s %s%n", label, value));
    }

    private static void outcomes(StringBuilder b, String label, DeliveryStats.Counts c) {
        b.append(format("  %-21s %9d %9d %9d%n", label, c.get(Outcome.SUCCESS), c.get(Outcome.FAILURE),
            c.get(Outcome.DEFERRAL)));
    }

    private static void reasons(StringBuilder b, String title, List<DeliveryStats.Reason> shown, int all) {
        b.append('\n').append(title).append(all == 0 ? ": none\n" : "\n  count  xdelay (s)  reason\n");
        for (DeliveryStats.Reason r : shown) {
            b.append(format("  %5d %11s  %s%n", r.count, seconds(r.xdelay), r.text));
        }
        if (shown.size() < all) {
            b.append("  and ").append(all - shown.size()).append(" more (--top)\n");
        }
    }

    private static String seconds(Duration d) {
        return format("%.3f", d.toNanos() / 1e9);
    }

    /** Numbers as C would print them, whatever the user's locale. */
    private static String format(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }

    static String json(DeliveryStats s, int top) {
        Json j = new Json().beginObject()
            .field("from", s.first == null ? null : s.first.toString())
            .field("to", s.last == null ? null : s.last.toString())
            .field("lines", s.lines).field("junk", s.junk).field("unmatched", s.unmatched);
        j.name("messages").beginObject().field("received", s.received).field("completed", s.completed)
            .field("bytes", s.completedBytes).field("pending", s.pending())
            .field("averageDelayMs", s.averageDelay().toMillis()).field("maxDelayMs", s.delayMax.toMillis())
            .field("bounces", s.bounces).field("tripleBounces", s.tripleBounces).endObject();
        j.name("deliveries").beginObject();
        counts(j, s.all);
        j.name("local").beginObject();
        counts(j, s.byChannel.get(Channel.LOCAL));
        j.endObject().name("remote").beginObject();
        counts(j, s.byChannel.get(Channel.REMOTE));
        j.endObject().field("averageXdelayMs", s.averageXdelay().toMillis())
            .field("maxXdelayMs", s.xdelayMax.toMillis()).endObject();
        j.name("recipients").beginObject().field("delivered", s.recipients(Outcome.SUCCESS))
            .field("failed", s.recipients(Outcome.FAILURE)).field("deferred", s.recipients(Outcome.DEFERRAL))
            .endObject();
        reasons(j, "failures", DeliveryStats.top(s.failures, top));
        reasons(j, "deferrals", DeliveryStats.top(s.deferrals, top));
        j.name("domains").beginArray();
        for (Map.Entry<String, DeliveryStats.Counts> e : s.topDomains(top)) {
            DeliveryStats.Counts c = e.getValue();
            j.beginObject().field("domain", e.getKey()).field("delivered", c.get(Outcome.SUCCESS))
                .field("failed", c.get(Outcome.FAILURE)).field("deferred", c.get(Outcome.DEFERRAL)).endObject();
        }
        return j.endArray().endObject() + "\n";
    }

    private static void counts(Json j, DeliveryStats.Counts c) {
        j.field("success", c.get(Outcome.SUCCESS)).field("failure", c.get(Outcome.FAILURE))
            .field("deferral", c.get(Outcome.DEFERRAL));
    }

    private static void reasons(Json j, String name, List<DeliveryStats.Reason> reasons) {
        j.name(name).beginArray();
        for (DeliveryStats.Reason r : reasons) {
            j.beginObject().field("reason", r.text).field("count", r.count)
                .field("xdelayMs", r.xdelay.toMillis()).endObject();
        }
        j.endArray();
    }
}
