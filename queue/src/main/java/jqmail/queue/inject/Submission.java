package jqmail.queue.inject;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import jqmail.common.Address;
import jqmail.common.Dates;
import jqmail.common.EnvelopeWriter;
import jqmail.common.Home;
import jqmail.common.Pids;
import jqmail.common.InjectException;
import jqmail.common.InjectResult;
import jqmail.common.QueueExit;
import jqmail.common.QueueSubmission;
import jqmail.queue.MaildropWriter;

/**
 * One message from a local user or program, as qmail-inject prepares it:
 * the header read and rewritten ({@link Headers}), the recipients and the
 * envelope sender decided, missing fields added (Date, Message-ID, From,
 * an empty Cc when nobody is visible, Mail-Followup-To for lists), then
 * the message streamed to the queue, or to the maildrop when the queue
 * daemon is not running. Only the header is held in memory.
 */
public final class Submission {

    private final Home home;
    private final Map<String, String> env;
    private final Identity identity;
    private final Request request;

    /** A submission with the identity the environment and control files give. */
    public static Submission of(Home home, Map<String, String> env, Request request) throws IOException {
        return new Submission(home, env, Identity.of(env, home.controlFiles()), request);
    }

    Submission(Home home, Map<String, String> env, Identity identity, Request request) {
        this.home = home;
        this.env = env;
        Identity id = identity;
        if (request.senderIsAuthor && request.sender != null && !envelopeForm(request.sender).isEmpty()) {
            id = id.sendingAs(envelopeForm(request.sender));
        }
        if (request.fullName != null) {
            id = id.named(request.fullName);
        }
        this.identity = id;
        this.request = request;
    }

    /** A message read, completed and addressed, ready to be printed or queued. */
    private record Prepared(InputStream message, Address sender, List<Address> recipients) {
    }

    /** Queues the message (or prints it, with -n); returns what the queue said. */
    public InjectResult run(InputStream raw, OutputStream out) throws IOException, Refusal {
        Prepared p = prepare(raw);
        if (request.print) {
            p.message.transferTo(out);
            out.flush();
            return new InjectResult(0, "printed");
        }
        return queue(p);
    }

    private Prepared prepare(InputStream raw) throws IOException, Refusal {
        InputStream in = new BufferedInputStream(raw, 64 * 1024);
        Headers h = Headers.read(in);
        Rewriter rw = identity.rewriter();
        List<String> rcpts = new ArrayList<>();
        if (request.source != Request.Recipients.HEADER) {
            for (String a : request.args) {
                rcpts.addAll(argument(a, rw));
            }
        }
        boolean fromHeader = switch (request.source) {
            case HEADER, BOTH -> true;
            case ARGS -> false;
            case ARGS_ELSE_HEADER -> rcpts.isEmpty();
        };
        if (fromHeader) {
            rcpts.addAll(h.recipients(rw));
        }
        if (rcpts.isEmpty()) {
            throw new Refusal(Refusal.Kind.NO_RECIPIENTS, fromHeader
                ? "no recipients: none named on the command line or in To, Cc or Bcc"
                : "no recipients named");
        }
        List<Address> recipients = new ArrayList<>(rcpts.size());
        for (String r : rcpts) {
            recipients.add(checked(r, "recipient"));
        }
        Address sender = sender(h, recipients);
        ByteArrayOutputStream head = new ByteArrayOutputStream(4096);
        h.writeTo(head, rw, drops());
        addFields(head, h);
        boolean blank = h.rest.length == 1 && h.rest[0] == '\n'
            || h.rest.length == 2 && h.rest[0] == '\r' && h.rest[1] == '\n';
        if (!h.truncated && !blank) {
            head.write('\n');   // the header ended without a blank line: the body needs one
        }
        InputStream message = new LineEnds(new SequenceInputStream(new SequenceInputStream(
            new ByteArrayInputStream(head.toByteArray()), new ByteArrayInputStream(h.rest)), in));
        return new Prepared(message, sender, recipients);
    }

    /**
     * A recipient argument: one address, or a comma-separated list (sendmail
     * allows "a@x, b@y"). The header's old-style space-separated lists are
     * not accepted here: "bad address@x" is a mistake, not two addresses.
     */
    private static List<String> argument(String arg, Rewriter rw) throws Refusal {
        List<String> out = AddressList.parse(arg).rewrite(rw).addresses();
        if (out.isEmpty() || out.size() > 1 && arg.indexOf(',') < 0) {
            throw new Refusal(Refusal.Kind.BAD_ADDRESS, "bad recipient address " + shown(arg) + ": "
                + (out.isEmpty() ? "not a mail address" : "a space where no space may be"));
        }
        return out;
    }

    /** The envelope sender: -f, else the message's Return-Path (unless flag s), else user@host; VERP flags r and m. */
    private Address sender(Headers h, List<Address> recipients) throws Refusal {
        if (request.sender != null) {
            String s = envelopeForm(request.sender);
            if (s.isEmpty()) {
                return Address.NULL_SENDER;
            }
            List<String> a = AddressList.parse(s).rewrite(identity.rewriter()).addresses();
            if (a.size() != 1) {
                throw new Refusal(Refusal.Kind.BAD_ADDRESS, "bad sender address " + shown(s) + ": not one address");
            }
            return checked(a.get(0), "sender");
        }
        String returnPath = h.first("return-path");
        if (returnPath != null && !identity.flag('s')) {
            List<String> a = AddressList.parse(returnPath).rewrite(identity.rewriter()).addresses();
            if (!a.isEmpty()) {
                return checked(a.get(0), "sender");
            }
            if (returnPath.strip().equals("<>")) {
                return Address.NULL_SENDER;
            }
        }
        String user = identity.envelopeUser();
        String host = identity.envelopeHost();
        if (identity.flag('r')) {
            return checked(user + "-@" + host + "-@[]", "sender");
        }
        if (identity.flag('m')) {
            return checked(user + "-" + System.currentTimeMillis() / 1000 + "." + Pids.self()
                + "@" + host, "sender");
        }
        return checked(user + "@" + host, "sender");
    }

    /** sendmail's -f forms: {@code <>} and "" are the null sender; angle brackets are dropped. */
    private static String envelopeForm(String s) {
        String t = s.strip();
        if (t.startsWith("<") && t.endsWith(">")) {
            t = t.substring(1, t.length() - 1).strip();
        }
        return t;
    }

    private Set<String> drops() {
        Set<String> d = new HashSet<>();
        if (identity.flag('f')) {
            d.add("from");
        }
        if (identity.flag('i')) {
            d.add("message-id");
        }
        return d;
    }

    /** qmail-inject's added fields, after the original header (as Postfix adds them); a resent message gets the Resent- forms. */
    private void addFields(ByteArrayOutputStream head, Headers h) throws IOException {
        boolean resent = h.resent();
        String p = resent ? "Resent-" : "";
        Set<String> dropped = drops();
        Instant now = Instant.now();
        if (!h.has(p.toLowerCase(Locale.ROOT) + "date")) {
            line(head, p + "Date: " + Dates.qmail(now));
        }
        if (!h.has(p.toLowerCase(Locale.ROOT) + "message-id") || !resent && dropped.contains("message-id")) {
            line(head, p + "Message-ID: <" + Dates.compact(now) + "." + Pids.self() + "."
                + Long.toHexString(new Random().nextLong() >>> 16) + "@" + identity.idHost() + ">");
        }
        if (!h.has(p.toLowerCase(Locale.ROOT) + "from") || !resent && dropped.contains("from")) {
            line(head, p + "From: " + author());
        }
        boolean visible = resent ? h.has("resent-to") || h.has("resent-cc") : h.has("to") || h.has("cc");
        if (!visible) {
            line(head, p + "Cc: recipient list not shown: ;");
        }
        if (!resent && !h.has("mail-followup-to")) {
            String mft = followupTo(h);
            if (mft != null) {
                line(head, "Mail-Followup-To: " + Headers.fold(18, mft));
            }
        }
    }

    /** The From: address: {@code Name <user@host>}, or {@code user@host (Name)} with flag c. */
    private String author() {
        String address = identity.user() + "@" + identity.host();
        String name = identity.name();
        if (name == null || name.isBlank()) {
            return address;
        }
        if (identity.flag('c')) {
            return address + " (" + name.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")";
        }
        return phrase(name) + " <" + address + ">";
    }

    /** A display name as an atom sequence when it can be, else a quoted string. */
    private static String phrase(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == ' ' || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0)) {
                return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            }
        }
        return name;
    }

    /** QMAILMFTFILE: when To or Cc names one of the lists in that file, every To and Cc address. */
    private String followupTo(Headers h) throws IOException {
        String file = env.get("QMAILMFTFILE");
        if (file == null || file.isEmpty()) {
            return null;
        }
        Set<String> lists = new HashSet<>();
        try {
            for (String l : Files.readAllLines(Path.of(file), StandardCharsets.ISO_8859_1)) {
                if (!l.isBlank()) {
                    lists.add(l.strip().toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new IOException("unable to read QMAILMFTFILE " + file + ": " + e.getMessage(), e);
        }
        List<String> visible = h.visibleRecipients(identity.rewriter());
        for (String a : visible) {
            if (lists.contains(a.toLowerCase(Locale.ROOT))) {
                return String.join(", ", visible);
            }
        }
        return null;
    }

    /**
     * Into the maildrop, where the queue daemon picks it up at once (it
     * watches the directory), or through the QMAILQUEUE program. Not over
     * the queue daemon's socket: the JDK's first local-socket connection
     * costs a program started per message about 80 ms of start-up (it
     * initializes the selector provider and a SecureRandom), more than all
     * the rest; writing a file costs a few. Postfix's sendmail works the
     * same way (postdrop, then pickup). Exit 0 means the file is on stable
     * storage.
     */
    private InjectResult queue(Prepared p) throws IOException {
        String qmailqueue = env.get("QMAILQUEUE");
        if (qmailqueue != null && !qmailqueue.isEmpty()) {
            try (QueueSubmission q = QueueSubmission.open(home, qmailqueue)) {
                p.message.transferTo(q.message());
                q.envelope(new EnvelopeWriter().sender(p.sender).recipients(p.recipients).end().toByteArray());
                return q.commit();
            } catch (InjectException e) {
                return e.result();
            }
        }
        Path maildrop = home.queue().resolve("maildrop");
        if (!Files.isDirectory(maildrop)) {
            return InjectResult.of(QueueExit.HOME_ERROR, maildrop + " is not there (is " + home.root()
                + " a jqmail home?)");
        }
        Path f = MaildropWriter.write(maildrop, p.message, p.sender, p.recipients);
        return new InjectResult(0, "ok " + f.getFileName() + " in the maildrop");
    }

    private static Address checked(String address, String role) throws Refusal {
        String problem = AddressSyntax.problem(address);
        if (problem != null) {
            throw new Refusal(Refusal.Kind.BAD_ADDRESS, "bad " + role + " address " + shown(address) + ": " + problem);
        }
        try {
            return new Address(unquoted(address));
        } catch (IllegalArgumentException e) {
            throw new Refusal(Refusal.Kind.BAD_ADDRESS, "bad " + role + " address " + shown(address) + ": "
                + e.getMessage());
        }
    }

    /** The envelope keeps a quoted local part unquoted, as qmail does (the SMTP client quotes it again). */
    private static String unquoted(String address) {
        int at = address.lastIndexOf('@');
        String local = address.substring(0, at);
        if (local.length() >= 2 && local.startsWith("\"") && local.endsWith("\"")) {
            return AddressParser.unquote(local) + address.substring(at);
        }
        return address;
    }

    /** An address for an error line: printable, not too long. */
    public static String shown(String s) {
        StringBuilder b = new StringBuilder("<");
        for (int i = 0; i < Math.min(s.length(), 100); i++) {
            char c = s.charAt(i);
            b.append(c < 33 || c > 126 ? '_' : c);
        }
        return b.append(s.length() > 100 ? "...>" : ">").toString();
    }

    private static void line(OutputStream o, String s) throws IOException {
        o.write((s + "\n").getBytes(StandardCharsets.ISO_8859_1));
    }
}
