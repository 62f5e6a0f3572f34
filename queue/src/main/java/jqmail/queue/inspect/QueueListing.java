package jqmail.queue.inspect;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jqmail.common.Address;
import jqmail.common.Home;
import jqmail.common.Json;
import jqmail.common.QueueId;
import jqmail.common.Routing;
import jqmail.queue.CorruptQueueFileException;
import jqmail.queue.Queue;
import jqmail.queue.QueueFile;

/**
 * What is in the queue, read from its directories (the queue's owner or
 * root only), and the output formats of qmail-qstat and qmail-qread, plus
 * JSON for scripts.
 */
public final class QueueListing {
    /** One recipient as listed: its channel, address and whether it is done. */
    public record Recipient(Routing.Channel channel, Address address, boolean done) {
    }

    /** One message as listed; {@code problem} is set (and the rest partial) when its file is unreadable. */
    public record Message(QueueId id, Queue.Stage stage, Instant time, long bytes, long uid, Address sender,
                          List<Recipient> recipients, String problem) {
    }

    private static final DateTimeFormatter QREAD_DATE =
        DateTimeFormatter.ofPattern("d MMM yyyy HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final List<Message> messages;
    private final int todo;
    private final int unlisted;

    private QueueListing(List<Message> messages, int todo, int unlisted) {
        this.messages = messages;
        this.todo = todo;
        this.unlisted = unlisted;
    }

    /** A listing made by the scheduler from its own state; {@code untaken} counts messages it has not taken yet. */
    public static QueueListing of(List<Message> messages, int untaken) {
        return new QueueListing(messages, untaken, untaken);
    }

    /** Reads the whole queue; a missing or unreadable queue is an IOException with a reason a user can act on. */
    public static QueueListing read(Home home) throws IOException {
        Queue q = new Queue(home.queue());
        if (!Files.isDirectory(q.todo())) {
            throw new NoSuchFileException(q.todo() + " (is " + home.root() + " a jqmail home?)");
        }
        Routing routing = Routing.read(home.controlFiles());
        List<Message> out = new ArrayList<>();
        int todo = 0;
        try {
            for (Queue.Entry e : q.walk()) {
                if (e.stage() == Queue.Stage.TODO) {
                    todo++;
                }
                out.add(describe(e, routing));
            }
        } catch (AccessDeniedException e) {
            throw new AccessDeniedException(e.getFile(), null,
                "permission denied: only root and the queue's owner may read the queue directly");
        }
        return new QueueListing(out, todo, 0);
    }

    private static Message describe(Queue.Entry e, Routing routing) {
        Instant time = Instant.EPOCH;
        try {
            time = Files.getLastModifiedTime(e.file()).toInstant();
            QueueFile.Envelope env = QueueFile.readEnvelope(e.file(), true);
            List<Recipient> rcpts = new ArrayList<>(env.recipients().size());
            for (Address a : env.recipients()) {
                rcpts.add(new Recipient(routing.route(a.value()).channel(), a, false));
            }
            return new Message(e.id(), e.stage(), time, env.bodyLength(), env.uid(), env.sender(), rcpts, null);
        } catch (NoSuchFileException x) {
            return new Message(e.id(), e.stage(), time, 0, -1, Address.NULL_SENDER, List.of(),
                "removed while listed");
        } catch (IOException | CorruptQueueFileException x) {
            return new Message(e.id(), e.stage(), time, 0, -1, Address.NULL_SENDER, List.of(), x.getMessage());
        }
    }

    public List<Message> messages() {
        return messages;
    }

    public int total() {
        return messages.size() + unlisted;
    }

    public int unprocessed() {
        return todo;
    }

    /** qmail-qstat's two lines. */
    public String qstat() {
        return "messages in queue: " + total() + "\n"
            + "messages in queue but not yet preprocessed: " + unprocessed() + "\n";
    }

    /** The counts and the age histogram of {@link #qshape}, per domain, for scripts. */
    public String qstatJson(Instant now) {
        Shape shape = shape(now);
        Json j = new Json().beginObject().field("messages", total()).field("unprocessed", unprocessed());
        j.name("age_minutes").beginArray();
        for (int i = 0; i < Shape.BUCKETS.length; i++) {
            j.value(Shape.label(i));
        }
        j.endArray().name("shape").beginArray();
        for (var row : shape.rows().entrySet()) {
            j.beginObject().field("domain", row.getKey()).name("recipients").beginArray();
            for (int n : row.getValue()) {
                j.value(n);
            }
            j.endArray().endObject();
        }
        return j.endArray().endObject() + "\n";
    }

    /**
     * Postfix qshape's view: recipients not yet done, by recipient domain
     * (the busiest {@link Shape#ROWS}, after the total) and by the age of
     * their message in minutes; each column counts ages up to its heading
     * (the last, 1280+, everything older).
     */
    public String qshape(Instant now) {
        Shape shape = shape(now);
        int width = 6;
        for (String d : shape.rows().keySet()) {
            width = Math.max(width, Math.min(d.length(), 40));
        }
        StringBuilder b = new StringBuilder();
        b.append(" ".repeat(width)).append(String.format(Locale.ROOT, "%6s", "T"));
        for (int i = 0; i < Shape.BUCKETS.length; i++) {
            b.append(String.format(Locale.ROOT, " %5s", Shape.label(i)));
        }
        b.append('\n');
        for (var row : shape.rows().entrySet()) {
            String d = row.getKey();
            b.append(String.format(Locale.ROOT, "%" + width + "s", d.length() > 40 ? d.substring(0, 40) : d));
            int[] n = row.getValue();
            int total = 0;
            for (int x : n) {
                total += x;
            }
            b.append(String.format(Locale.ROOT, "%6d", total));
            for (int x : n) {
                b.append(String.format(Locale.ROOT, " %5d", x));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** Rows by domain, TOTAL first; each row counts recipients per age bucket. */
    private record Shape(java.util.LinkedHashMap<String, int[]> rows) {
        static final int[] BUCKETS = {5, 10, 20, 40, 80, 160, 320, 640, 1280, Integer.MAX_VALUE};
        static final int ROWS = 20;

        /** A column's heading: the most minutes it counts, or the last one's "1280+". */
        static String label(int i) {
            return i == BUCKETS.length - 1 ? BUCKETS[i - 1] + "+" : Integer.toString(BUCKETS[i]);
        }

        static int bucket(long minutes) {
            int i = 0;
            while (minutes > BUCKETS[i]) {
                i++;
            }
            return i;
        }
    }

    private Shape shape(Instant now) {
        java.util.Map<String, int[]> byDomain = new java.util.HashMap<>();
        int[] total = new int[Shape.BUCKETS.length];
        for (Message m : messages) {
            int bucket = Shape.bucket(Math.max(0, java.time.Duration.between(m.time(), now).toMinutes()));
            for (Recipient r : m.recipients()) {
                if (!r.done()) {
                    total[bucket]++;
                    String d = r.address().domain().toLowerCase(Locale.ROOT);
                    byDomain.computeIfAbsent(d.isEmpty() ? "(local)" : new Address(d).printable(),
                        k -> new int[Shape.BUCKETS.length])[bucket]++;
                }
            }
        }
        List<java.util.Map.Entry<String, int[]>> busiest = new ArrayList<>(byDomain.entrySet());
        busiest.sort((a, b) -> Integer.compare(sum(b.getValue()), sum(a.getValue())));
        java.util.LinkedHashMap<String, int[]> rows = new java.util.LinkedHashMap<>();
        rows.put("TOTAL", total);
        for (var e : busiest.subList(0, Math.min(Shape.ROWS, busiest.size()))) {
            rows.put(e.getKey(), e.getValue());
        }
        return new Shape(rows);
    }

    private static int sum(int[] n) {
        int s = 0;
        for (int x : n) {
            s += x;
        }
        return s;
    }

    /** qmail-qread's listing: a header line per message, a line per recipient. */
    public String qread() {
        StringBuilder b = new StringBuilder();
        for (Message m : messages) {
            if (m.problem() != null) {
                b.append("warning: trouble with #").append(m.id()).append(": ").append(m.problem()).append('\n');
                continue;
            }
            b.append(QREAD_DATE.format(m.time())).append(" GMT  #").append(m.id()).append("  ").append(m.bytes())
                .append("  <").append(m.sender().printable()).append("> \n");
            for (Recipient r : m.recipients()) {
                b.append(r.done() ? "  done" : "").append('\t')
                    .append(r.channel() == Routing.Channel.LOCAL ? "local" : "remote").append('\t')
                    .append(r.address().printable()).append('\n');
            }
        }
        return b.toString();
    }

    public String qreadJson() {
        Json j = new Json().beginArray();
        for (Message m : messages) {
            j.beginObject().field("id", m.id().toString()).field("stage", m.stage().name().toLowerCase(Locale.ROOT))
                .field("time", m.time().getEpochSecond());
            if (m.problem() != null) {
                j.field("problem", m.problem()).endObject();
                continue;
            }
            j.field("bytes", m.bytes()).field("uid", m.uid()).field("sender", m.sender().value());
            j.name("recipients").beginArray();
            for (Recipient r : m.recipients()) {
                j.beginObject().field("channel", r.channel().name().toLowerCase(Locale.ROOT))
                    .field("address", r.address().value()).field("done", r.done()).endObject();
            }
            j.endArray().endObject();
        }
        return j.endArray() + "\n";
    }
}
