package jqmail.scripts;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * qmail-send's log lines in qmail-log(5)'s vocabulary, as the statistics
 * need them. qmail-send writes them (send's Scheduler); qmail's own lines
 * parse too ({@code info msg} with its {@code qp}). Every field has a length
 * bound: a line that begins like one of these but does not fit is junk,
 * never an exception.
 */
final class SendLog {
    private SendLog() {
    }

    /** What one line tells. */
    sealed interface Event {
    }

    /** The two delivery channels. */
    enum Channel { LOCAL, REMOTE }

    /** A delivery attempt's end, qmail's K, D and Z. */
    enum Outcome { SUCCESS, FAILURE, DEFERRAL }

    /** {@code new msg N} */
    record NewMsg(long msg) implements Event {
    }

    /** {@code info msg N: bytes B from <S> [qp P] uid U} */
    record InfoMsg(long msg, long bytes, String sender) implements Event {
    }

    /** {@code starting delivery D: msg N to local|remote ADDR} */
    record Starting(long delivery, long msg, Channel channel, String recipient) implements Event {
    }

    /** {@code delivery D: success|failure|deferral: TEXT} */
    record Result(long delivery, Outcome outcome, String text) implements Event {
    }

    /** {@code bounce msg N qp P} */
    record Bounce(long msg) implements Event {
    }

    /** {@code end msg N} */
    record End(long msg) implements Event {
    }

    /** {@code triple bounce: discarding ...} */
    record TripleBounce() implements Event {
    }

    /** Anything else: {@code status:}, {@code warning:}, {@code alert:} lines and whatever the JVM says. */
    record Other() implements Event {
    }

    /** Numbers: queue ids and delivery numbers; 18 digits always fit a long. */
    private static final String NUMBER = "([1-9][0-9]{0,17}|0)";
    /** An address as logged: qmail-queue's 1002 bytes and then some for the printable form. */
    private static final String ADDRESS = "(.{0,1100})";

    private static final Pattern NEW = Pattern.compile("new msg " + NUMBER);
    private static final Pattern INFO = Pattern.compile(
        "info msg " + NUMBER + ": bytes " + NUMBER + " from <" + ADDRESS + "> (?:qp " + NUMBER + " )?uid " + NUMBER);
    private static final Pattern STARTING = Pattern.compile(
        "starting delivery " + NUMBER + ": msg " + NUMBER + " to (local|remote) " + ADDRESS);
    private static final Pattern RESULT = Pattern.compile(
        "delivery " + NUMBER + ": (success|failure|deferral): (.*)", Pattern.DOTALL);
    private static final Pattern BOUNCE = Pattern.compile("bounce msg " + NUMBER + "(?: qp .{0,100})?");
    private static final Pattern END = Pattern.compile("end msg " + NUMBER);
    /** Lines that claim to be one of the above; if they do not parse, they are junk. */
    private static final List<String> VOCABULARY =
        List.of("new msg", "info msg", "starting delivery", "delivery ", "bounce msg", "end msg");

    /** The event a line's text (after its label) tells, or null for junk. */
    static Event parse(String text) {
        Matcher m;
        if ((m = NEW.matcher(text)).matches()) {
            return new NewMsg(Long.parseLong(m.group(1)));
        }
        if ((m = INFO.matcher(text)).matches()) {
            return new InfoMsg(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(3));
        }
        if ((m = STARTING.matcher(text)).matches() && !m.group(4).isEmpty()) {
            return new Starting(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                m.group(3).equals("local") ? Channel.LOCAL : Channel.REMOTE, m.group(4));
        }
        if ((m = RESULT.matcher(text)).matches()) {
            Outcome o = switch (m.group(2)) {
                case "success" -> Outcome.SUCCESS;
                case "failure" -> Outcome.FAILURE;
                default -> Outcome.DEFERRAL;
            };
            return new Result(Long.parseLong(m.group(1)), o, m.group(3));
        }
        if ((m = BOUNCE.matcher(text)).matches()) {
            return new Bounce(Long.parseLong(m.group(1)));
        }
        if ((m = END.matcher(text)).matches()) {
            return new End(Long.parseLong(m.group(1)));
        }
        if (text.startsWith("triple bounce: ")) {
            return new TripleBounce();
        }
        for (String v : VOCABULARY) {
            if (text.startsWith(v)) {
                return null;
            }
        }
        return new Other();
    }
}
