package jqmail.common.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jqmail.common.Accounts;
import jqmail.common.Address;
import jqmail.common.Dates;
import jqmail.common.EnvelopeWriter;
import jqmail.common.Home;
import jqmail.common.InjectException;
import jqmail.common.InjectResult;
import jqmail.common.Log;
import jqmail.common.QueueExit;
import jqmail.common.QueueSubmission;

/**
 * One SMTP session (RFC 5321 with PIPELINING, 8BITMIME, SIZE and
 * ENHANCEDSTATUSCODES; STARTTLS and AUTH where the listener's {@link Access}
 * offers them), the same for qmail-smtpd on stdin/stdout, for the sessions
 * tcpserver runs in its own JVM, and for {@code sendmail -bs}.
 * The session's state changes only in {@link #enter}; every reply comes
 * from {@link Reply}. Nothing is acknowledged before the queue has
 * committed it.
 */
public final class SmtpSession {
    /** After this many refused commands the session is closed, as Postfix's hard error limit does. */
    static final int MAX_ERRORS = 20;
    static final int MAX_HOPS = 100;

    /** The session's state: where it is in the dialogue. */
    enum State { START, MAIL, RCPT, DONE }

    /**
     * What the session knows of its client, from tcpserver's variables:
     * TCPREMOTEIP, TCPLOCALIP, TCPREMOTEHOST, RELAYCLIENT, QMAILQUEUE, DATABYTES.
     */
    public record Client(String remoteIp, String localIp, String remoteHost, String relayClient, String qmailQueue,
                         String databytes) {
        public static Client of(Map<String, String> env) {
            return new Client(env.getOrDefault("TCPREMOTEIP", "unknown"), env.getOrDefault("TCPLOCALIP", "unknown"),
                env.get("TCPREMOTEHOST"), env.get("RELAYCLIENT"), env.get("QMAILQUEUE"), env.get("DATABYTES"));
        }
    }

    private final Home home;
    private final SmtpSettings settings;
    private final Accounts accounts;
    private RecipientPolicy policy;
    private final Client client;
    private final SmtpIo io;
    private final Access access;
    /** Null in plain text; once TLS is up the protocol and cipher. */
    private String tlsSummary;
    /** The account that authenticated (AUTH), or null. */
    private String authenticated;
    private State state = State.START;
    private String helo;
    private boolean esmtp;
    private Address sender;
    private final List<Address> recipients = new ArrayList<>();
    private int accepted;
    private int errors;

    public SmtpSession(Home home, SmtpSettings settings, Accounts accounts, Client client, SmtpIo io) {
        this(home, settings, accounts, client, io, Access.PLAIN);
    }

    /** A session with what its listener offers: STARTTLS, TLS from the start, AUTH. */
    public SmtpSession(Home home, SmtpSettings settings, Accounts accounts, Client client, SmtpIo io, Access access) {
        this.home = home;
        this.settings = settings;
        this.accounts = accounts;
        this.policy = new RecipientPolicy(settings, accounts, client.relayClient());
        this.client = client;
        this.io = io;
        this.access = access;
        this.tlsSummary = access.tlsSummary();
    }

    /** Runs the dialogue to its end; never throws. */
    public void run() {
        try {
            io.reply(Reply.GREETING.format(settings.greeting()));
            io.flush();
            while (state != State.DONE) {
                String line;
                try {
                    line = io.readLine();
                } catch (SmtpIo.LineTooLongException e) {
                    refuse(Reply.LINE_TOO_LONG);
                    io.flushIfIdle();
                    continue;
                }
                if (line == null) {
                    return;
                }
                command(line);
                if (errors >= MAX_ERRORS) {
                    io.reply(Reply.TOO_MANY_ERRORS.format());
                    enter(State.DONE);
                }
                io.flushIfIdle();
            }
            io.flush();
        } catch (SmtpIo.TimeoutException e) {
            tryToSay(Reply.TIMEOUT);
        } catch (SmtpIo.SessionCapException e) {
            tryToSay(Reply.SESSION_TOO_LONG);
        } catch (IOException e) {
            // The client went away; an unfinished message was never committed.
        } catch (RuntimeException e) {
            Log.warning("smtp session from " + client.remoteIp() + " failed: " + e);
            tryToSay(Reply.INTERNAL);
        }
    }

    private void tryToSay(Reply r) {
        try {
            io.reply(r.format());
            io.flush();
        } catch (IOException e) {
            // Nobody left to tell.
        }
    }

    /** The one place the state changes. */
    private void enter(State next) {
        state = next;
    }

    private void command(String line) throws IOException {
        if (line.indexOf('\0') >= 0) {
            refuse(Reply.BAD_COMMAND);
            return;
        }
        int sp = line.indexOf(' ');
        Verb verb = Verb.of(sp < 0 ? line : line.substring(0, sp));
        String arg = sp < 0 ? "" : line.substring(sp + 1).strip();
        if (verb == null) {
            refuse(Reply.UNIMPLEMENTED);
            return;
        }
        if (verb.takesNoArgument() && !arg.isEmpty()) {
            refuse(Reply.SYNTAX);
            return;
        }
        switch (verb) {
            case EHLO -> hello(arg, true);
            case HELO -> hello(arg, false);
            case STARTTLS -> startTls();
            case AUTH -> auth(arg);
            case MAIL -> mail(arg);
            case RCPT -> rcpt(arg);
            case DATA -> data();
            case RSET -> {
                reset();
                io.reply(Reply.FLUSHED.format());
            }
            case NOOP -> io.reply(Reply.OK.format());
            case VRFY -> io.reply(Reply.VRFY.format());
            case HELP -> io.reply(Reply.HELP.format());
            case QUIT -> {
                io.reply(Reply.BYE.format(settings.me()));
                enter(State.DONE);
            }
            default -> refuse(Reply.UNIMPLEMENTED);
        }
    }

    private void refuse(Reply r, String... args) {
        errors++;
        io.reply(r.format(args));
    }

    private void reset() {
        sender = null;
        recipients.clear();
        accepted = 0;
        enter(State.START);
    }

    private void hello(String arg, boolean extended) {
        if (arg.isEmpty()) {
            refuse(Reply.NEED_DOMAIN, extended ? "EHLO" : "HELO");
            return;
        }
        reset();
        helo = arg;
        esmtp = extended;
        if (!extended) {
            io.reply(Reply.HELO.format(settings.me()));
            return;
        }
        StringBuilder b = new StringBuilder();
        b.append("250-").append(Reply.clean(settings.me())).append("\r\n");
        b.append("250-PIPELINING\r\n");
        b.append("250-8BITMIME\r\n");
        b.append("250-SIZE ").append(settings.databytes()).append("\r\n");
        if (access.startTls() != null && tlsSummary == null) {
            b.append("250-STARTTLS\r\n");
        }
        if (offersAuth()) {
            b.append("250-AUTH PLAIN LOGIN\r\n");
        }
        b.append("250 ENHANCEDSTATUSCODES\r\n");
        io.reply(b.toString());
    }

    /**
     * RFC 3207: 220, the handshake, and the session starts over: the client
     * must say EHLO again, and nothing it sent before the handshake counts.
     * A failed handshake ends the session (the connection's state is lost).
     */
    private void startTls() throws IOException {
        if (access.startTls() == null) {
            refuse(Reply.NO_TLS);
            return;
        }
        if (tlsSummary != null) {
            refuse(Reply.TLS_ACTIVE);
            return;
        }
        io.reply(Reply.READY_FOR_TLS.format());
        io.flush();
        StartTls.Upgraded u;
        try {
            u = access.startTls().upgrade();
        } catch (IOException e) {
            Log.info("tls handshake with " + client.remoteIp() + " failed: " + e.getMessage());
            enter(State.DONE);
            return;
        }
        io.switchTo(u.in(), u.out());
        tlsSummary = u.summary();
        reset();
        helo = null;
        esmtp = false;
    }

    /** AUTH only where the listener has an authenticator, and only over TLS (no password in clear text). */
    private boolean offersAuth() {
        return access.auth() != null && tlsSummary != null && authenticated == null;
    }

    /**
     * RFC 4954 AUTH PLAIN and LOGIN (draft-murchison-sasl-login), with an
     * initial response or a 334 challenge. A success lets the client relay,
     * as RELAYCLIENT does.
     */
    private void auth(String arg) throws IOException {
        if (access.auth() == null) {
            refuse(Reply.UNIMPLEMENTED);
            return;
        }
        if (tlsSummary == null) {
            refuse(Reply.AUTH_NEEDS_TLS);
            return;
        }
        if (authenticated != null) {
            refuse(Reply.ALREADY_AUTHENTICATED);
            return;
        }
        if (helo == null || !esmtp) {
            refuse(Reply.EHLO_FIRST);
            return;
        }
        if (state != State.START) {
            refuse(Reply.AUTH_IN_TRANSACTION);
            return;
        }
        Sasl.Credentials c;
        try {
            c = Sasl.read(arg, io);
        } catch (Sasl.Refusal r) {
            refuse(r.reply());
            return;
        }
        Authenticator.Result r;
        try {
            r = access.auth().check("smtp", c.user(), c.password(), client.remoteIp());
        } catch (IOException e) {
            Log.warning("auth service unreachable: " + e.getMessage());
            r = Authenticator.Result.of(Authenticator.Verdict.TEMPORARY);
        }
        switch (r.verdict()) {
            case OK -> {
                authenticated = r.account();
                policy = new RecipientPolicy(settings, accounts, "");
                Log.info("auth ok " + Reply.clean(r.account()) + " from " + client.remoteIp());
                io.reply(Reply.AUTH_OK.format());
            }
            case BAD -> {
                Log.info("auth failed from " + client.remoteIp());
                refuse(Reply.AUTH_FAILED);
            }
            case LIMITED -> refuse(Reply.AUTH_LIMITED);
            case TEMPORARY -> refuse(Reply.AUTH_TEMPORARY);
        }
    }

    private void mail(String arg) {
        if (state != State.START) {
            refuse(Reply.NESTED_MAIL);
            return;
        }
        if (access.authRequired() && authenticated == null) {
            refuse(Reply.AUTH_REQUIRED);
            return;
        }
        SmtpPath.Parsed p;
        try {
            p = SmtpPath.parse(arg, "FROM");
        } catch (SmtpPath.Invalid e) {
            refuse(e.reply());
            return;
        }
        for (Map.Entry<String, String> param : p.params().entrySet()) {
            Reply r = mailParameter(param.getKey(), param.getValue());
            if (r != null) {
                refuse(r);
                return;
            }
        }
        sender = new Address(p.address());
        enter(State.MAIL);
        io.reply(Reply.SENDER_OK.format());
    }

    /** null when the parameter is fine. */
    private Reply mailParameter(String key, String value) {
        switch (key) {
            case "SIZE" -> {
                if (value.isEmpty() || value.length() > 18 || !digits(value)) {
                    return Reply.SYNTAX;
                }
                long size = Long.parseLong(value);
                return settings.databytes() > 0 && size > settings.databytes() ? Reply.SIZE_TOO_BIG : null;
            }
            case "BODY" -> {
                return value.equalsIgnoreCase("7BIT") || value.equalsIgnoreCase("8BITMIME") ? null : Reply.SYNTAX;
            }
            default -> {
                return Reply.UNKNOWN_PARAMETER;
            }
        }
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private void rcpt(String arg) {
        if (state == State.START) {
            refuse(Reply.MAIL_FIRST);
            return;
        }
        SmtpPath.Parsed p;
        try {
            p = SmtpPath.parse(arg, "TO");
        } catch (SmtpPath.Invalid e) {
            refuse(e.reply());
            return;
        }
        if (!p.params().isEmpty()) {
            refuse(Reply.UNKNOWN_PARAMETER);
            return;
        }
        if (settings.isBadSender(sender.value())) {
            refuse(Reply.BADMAILFROM);
            return;
        }
        if (accepted >= settings.maxRecipients()) {
            io.reply(Reply.TOO_MANY_RECIPIENTS.format());
            return;
        }
        RecipientPolicy.Decision d = policy.decide(p.address());
        if (d.reply() != Reply.RECIPIENT_OK) {
            refuse(d.reply());
            return;
        }
        Address a;
        try {
            a = new Address(d.address());
        } catch (IllegalArgumentException e) {
            refuse(Reply.BAD_PATH);
            return;
        }
        accepted++;
        if (d.deliver()) {
            recipients.add(a);
        }
        enter(State.RCPT);
        io.reply(Reply.RECIPIENT_OK.format());
    }

    private void data() throws IOException {
        if (state == State.START) {
            refuse(Reply.MAIL_FIRST);
            return;
        }
        if (state != State.RCPT) {
            refuse(Reply.RCPT_FIRST);
            return;
        }
        QueueSubmission q = null;
        if (!recipients.isEmpty()) {
            try {
                q = QueueSubmission.open(home, client.qmailQueue());
            } catch (InjectException e) {
                io.reply(e.result().code() == QueueExit.WRITE_ERROR.code() ? Reply.STORAGE_LOW.format()
                    : Reply.QUEUE_TEMPORARY.format(e.result().text()));
                return;
            }
        }
        try {
            io.reply(Reply.GO_AHEAD.format());
            io.flush();
            OutputStream sink = q == null ? OutputStream.nullOutputStream() : q.message();
            DataReader.Result r = new DataReader(io, sink, settings.databytes(),
                receivedLine().getBytes(StandardCharsets.ISO_8859_1)).read();
            io.reply(verdict(r, q));
        } finally {
            if (q != null) {
                q.close();
            }
            reset();
        }
    }

    /** The reply after the data: refused, failed, or committed. */
    private String verdict(DataReader.Result r, QueueSubmission q) throws IOException {
        if (r.hops() >= MAX_HOPS) {
            return Reply.LOOPING.format();
        }
        if (r.overLimit()) {
            return Reply.DATABYTES.format();
        }
        if (q == null) {
            return Reply.OK.format();
        }
        if (r.sinkError() != null) {
            InjectResult failed = r.sinkError() instanceof InjectException ie ? ie.result()
                : InjectResult.of(QueueExit.DAEMON_FAILED, QueueExit.DAEMON_FAILED.text());
            return failure(failed);
        }
        EnvelopeWriter w = new EnvelopeWriter().sender(sender).recipients(recipients);
        InjectResult result;
        try {
            q.envelope(w.end().toByteArray());
            result = q.commit();
        } catch (InjectException e) {
            result = e.result();
        }
        return result.ok() ? Reply.QUEUED.format(result.text().startsWith("ok ") ? result.text().substring(3)
            : result.text()) : failure(result);
    }

    private static String failure(InjectResult r) {
        return r.permanent() ? Reply.QUEUE_PERMANENT.format(r.text()) : Reply.QUEUE_TEMPORARY.format(r.text());
    }

    /**
     * qmail-smtpd's trace line, with RFC 3848's protocol name: no reverse DNS
     * is ever looked up, so the host is "unknown" unless tcpserver was given one.
     */
    String receivedLine() {
        String host = client.remoteHost() == null ? "unknown" : client.remoteHost();
        StringBuilder b = new StringBuilder("Received: from ").append(safe(host));
        if (helo != null && !helo.equalsIgnoreCase(host)) {
            b.append(" (HELO ").append(safe(helo)).append(')');
        }
        b.append(" (").append(safe(client.remoteIp())).append(")\n  by ").append(safe(settings.me()))
            .append(" with ").append(protocol()).append(tlsSummary != null ? " (" + tlsSummary + ")" : "")
            .append("; ").append(Dates.qmail(Instant.now()))
            .append('\n');
        return b.toString();
    }

    /** RFC 3848's name: ESMTP, then S for TLS and A for an authenticated client. */
    private String protocol() {
        return (esmtp ? "ESMTP" : "SMTP") + (tlsSummary != null ? "S" : "") + (authenticated != null ? "A" : "");
    }

    /** qmail's rule for names in trace lines: anything unusual becomes '?'. */
    static String safe(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 256));
        for (int i = 0; i < s.length() && i < 256; i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || ".@%+/=:-[]".indexOf(c) >= 0;
            b.append(ok ? c : '?');
        }
        return b.toString();
    }
}
