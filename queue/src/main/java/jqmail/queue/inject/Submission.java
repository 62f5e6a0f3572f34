package jqmail.queue.inject;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import jqmail.common.Address;
import jqmail.common.EnvelopeWriter;
import jqmail.common.Home;
import jqmail.common.InjectClient;
import jqmail.common.InjectException;
import jqmail.common.InjectResult;
import jqmail.common.QueueExit;
import jqmail.queue.MaildropWriter;

/**
 * One message from a local user: headers completed, then handed to the
 * queue daemon, or to the maildrop when the daemon is not running.
 */
final class Submission {
    private static final DateTimeFormatter DATE =
        DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private final Home home;
    private final Address sender;
    private final List<Address> recipients;

    /** @param sender null for the default, {@code user@host} from the environment and control files */
    Submission(Home home, Address sender, List<Address> recipients) throws IOException {
        this.home = home;
        this.sender = sender != null ? sender : new Address(user() + "@" + host(home));
        this.recipients = recipients;
    }

    InjectResult submit(InputStream raw) throws IOException {
        InputStream message = complete(raw);
        InjectClient c;
        try {
            c = InjectClient.connect(home.injectSocket());
        } catch (InjectException e) {
            if (e.result().code() != QueueExit.DAEMON_UNREACHABLE.code() || !QmailInjectMain.homeExists(home)) {
                return e.result();
            }
            MaildropWriter.write(home.queue().resolve("maildrop"), message, sender, recipients);
            return new InjectResult(0, "dropped into the maildrop");
        }
        try (c) {
            message.transferTo(c.message());
            EnvelopeWriter w = new EnvelopeWriter().sender(sender);
            for (Address a : recipients) {
                w.recipient(a);
            }
            c.envelope(w.end().toByteArray());
            return c.commit();
        } catch (InjectException e) {
            return e.result();
        }
    }

    /** qmail-inject -n: the message as it would be queued. */
    void print(InputStream raw, PrintStream out) throws IOException {
        complete(raw).transferTo(out);
        out.flush();
    }

    private InputStream complete(InputStream raw) throws IOException {
        InputStream in = new BufferedInputStream(raw, 64 * 1024);
        Headers h = Headers.read(in);
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        h.kept.writeTo(head);
        ZonedDateTime now = ZonedDateTime.now();
        if (!h.hasDate) {
            line(head, "Date: " + DATE.format(now));
        }
        if (!h.hasMessageId) {
            line(head, "Message-ID: <" + now.toInstant().toEpochMilli() + "." + ProcessHandle.current().pid()
                + ".qmail@" + idHost() + ">");
        }
        if (!h.hasFrom) {
            line(head, "From: " + sender.value());
        }
        boolean blank = h.rest.length == 1 && h.rest[0] == '\n'
            || h.rest.length == 2 && h.rest[0] == '\r' && h.rest[1] == '\n';
        if (h.rest.length > 0 && !blank) {
            head.write('\n');
        }
        head.writeBytes(h.rest);
        return new SequenceInputStream(new ByteArrayInputStream(head.toByteArray()), in);
    }

    private static void line(OutputStream o, String s) throws IOException {
        o.write((s + "\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    private String idHost() throws IOException {
        String env = System.getenv("QMAILIDHOST");
        return env != null && !env.isEmpty() ? env : home.controlFiles().line("idhost", home.controlFiles().me());
    }

    private static String user() {
        for (String v : new String[] {"QMAILUSER", "MAILUSER", "USER", "LOGNAME"}) {
            String s = System.getenv(v);
            if (s != null && !s.isEmpty()) {
                return s;
            }
        }
        return System.getProperty("user.name", "anonymous");
    }

    private static String host(Home home) throws IOException {
        for (String v : new String[] {"QMAILHOST", "MAILHOST"}) {
            String s = System.getenv(v);
            if (s != null && !s.isEmpty()) {
                return s;
            }
        }
        return home.controlFiles().line("defaulthost", home.controlFiles().me());
    }
}
