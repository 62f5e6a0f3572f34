package jqmail.scripts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jqmail.scripts.SendLog.Channel;
import jqmail.scripts.SendLog.Outcome;

/**
 * Delivery statistics from qmail-send's log, in the spirit of qmailanalog
 * (zoverall, zfailures, zdeferrals) and pflogsumm. A message counts once its
 * {@code end msg} follows its {@code info msg}; its delay runs from the one
 * to the other. A delivery counts once its result follows its
 * {@code starting delivery}; its xdelay runs from the one to the other.
 * Lines whose beginning is not in the log (it was rotated away) are counted
 * as unmatched and left out of the rest.
 */
final class DeliveryStats {
    /** Reasons are grouped by their text, cut here: a reason is a sentence or two, not a transcript. */
    static final int MAX_REASON = 200;

    /** Deliveries by outcome. */
    static final class Counts {
        final long[] n = new long[Outcome.values().length];

        void add(Outcome o) {
            n[o.ordinal()]++;
        }

        long get(Outcome o) {
            return n[o.ordinal()];
        }

        long total() {
            return n[0] + n[1] + n[2];
        }
    }

    /** The deliveries that ended for one reason, and their summed xdelay. */
    static final class Reason {
        final String text;
        long count;
        Duration xdelay = Duration.ZERO;

        Reason(String text) {
            this.text = text;
        }
    }

    private record Queued(Instant time, long bytes) {
    }

    private record Attempt(Instant start, long msg, Channel channel, String recipient) {
    }

    private final Map<Long, Queued> queued = new HashMap<>();
    private final Map<Long, Attempt> running = new HashMap<>();

    Instant first;
    Instant last;
    long lines;
    long junk;
    long unmatched;
    long received;
    long completed;
    long completedBytes;
    long bounces;
    long tripleBounces;
    Duration delaySum = Duration.ZERO;
    Duration delayMax = Duration.ZERO;
    Duration xdelaySum = Duration.ZERO;
    Duration xdelayMax = Duration.ZERO;
    final Counts all = new Counts();
    final Map<Channel, Counts> byChannel = new EnumMap<>(Channel.class);
    final Map<String, Counts> byDomain = new HashMap<>();
    final Map<Outcome, Set<String>> recipients = new EnumMap<>(Outcome.class);
    final Map<String, Reason> failures = new HashMap<>();
    final Map<String, Reason> deferrals = new HashMap<>();

    DeliveryStats() {
        for (Channel c : Channel.values()) {
            byChannel.put(c, new Counts());
        }
        for (Outcome o : Outcome.values()) {
            recipients.put(o, new HashSet<>());
        }
    }

    /** Takes one line of the log: labelled, whole, and in the vocabulary, or else counted as junk. */
    void add(LogFiles.Line line) {
        lines++;
        Instant t = line.time();
        SendLog.Event e = t == null || line.cut() ? null : SendLog.parse(line.text());
        if (e == null) {
            junk++;
            return;
        }
        first = first == null ? t : first;
        last = t;
        if (e instanceof SendLog.NewMsg) {
            received++;
        } else if (e instanceof SendLog.InfoMsg i) {
            queued.put(i.msg(), new Queued(t, i.bytes()));
        } else if (e instanceof SendLog.Starting s) {
            running.put(s.delivery(), new Attempt(t, s.msg(), s.channel(), s.recipient()));
        } else if (e instanceof SendLog.Result r) {
            result(t, r);
        } else if (e instanceof SendLog.Bounce) {
            bounces++;
        } else if (e instanceof SendLog.End end) {
            end(t, end.msg());
        } else if (e instanceof SendLog.TripleBounce) {
            tripleBounces++;
        }
    }

    private void end(Instant t, long msg) {
        Queued q = queued.remove(msg);
        if (q == null) {
            unmatched++;
            return;
        }
        completed++;
        completedBytes += q.bytes();
        Duration d = nonNegative(Duration.between(q.time(), t));
        delaySum = delaySum.plus(d);
        delayMax = max(delayMax, d);
    }

    private void result(Instant t, SendLog.Result r) {
        Attempt a = running.remove(r.delivery());
        if (a == null) {
            unmatched++;
            return;
        }
        Duration x = nonNegative(Duration.between(a.start(), t));
        xdelaySum = xdelaySum.plus(x);
        xdelayMax = max(xdelayMax, x);
        all.add(r.outcome());
        byChannel.get(a.channel()).add(r.outcome());
        byDomain.computeIfAbsent(domain(a.recipient()), d -> new Counts()).add(r.outcome());
        recipients.get(r.outcome()).add(a.msg() + " " + a.recipient());
        Map<String, Reason> reasons = switch (r.outcome()) {
            case FAILURE -> failures;
            case DEFERRAL -> deferrals;
            case SUCCESS -> null;
        };
        if (reasons != null) {
            String text = r.text().length() > MAX_REASON ? r.text().substring(0, MAX_REASON) : r.text();
            Reason reason = reasons.computeIfAbsent(text, Reason::new);
            reason.count++;
            reason.xdelay = reason.xdelay.plus(x);
        }
    }

    /** Messages whose {@code info msg} is in the log and whose {@code end msg} is not (yet). */
    long pending() {
        return queued.size();
    }

    /** Distinct recipients (message and address) for which a delivery ended this way. */
    long recipients(Outcome o) {
        return recipients.get(o).size();
    }

    Duration averageDelay() {
        return completed == 0 ? Duration.ZERO : delaySum.dividedBy(completed);
    }

    Duration averageXdelay() {
        return all.total() == 0 ? Duration.ZERO : xdelaySum.dividedBy(all.total());
    }

    /** The most frequent reasons first, at most {@code top}. */
    static List<Reason> top(Map<String, Reason> reasons, int top) {
        List<Reason> out = new ArrayList<>(reasons.values());
        out.sort(Comparator.comparingLong((Reason r) -> -r.count).thenComparing(r -> r.text));
        return out.subList(0, Math.min(top, out.size()));
    }

    /** Recipient domains with the most deliveries first, at most {@code top}. */
    List<Map.Entry<String, Counts>> topDomains(int top) {
        List<Map.Entry<String, Counts>> out = new ArrayList<>(byDomain.entrySet());
        out.sort(Comparator.comparingLong((Map.Entry<String, Counts> e) -> -e.getValue().total())
            .thenComparing(Map.Entry::getKey));
        return out.subList(0, Math.min(top, out.size()));
    }

    static String domain(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /** A clock set back between two lines makes no negative delay. */
    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
