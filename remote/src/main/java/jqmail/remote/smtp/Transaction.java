package jqmail.remote.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One MAIL ... final reply exchange on an open connection; see
 * {@link SmtpConnection#send} for the rules. Each recipient's result is set
 * once, when it becomes known; whatever is still open when the connection
 * breaks becomes Z.
 */
final class Transaction {
    /** Commands written before their replies are read when pipelining: well within any socket buffer. */
    private static final int WINDOW = 100;

    private final SmtpConnection c;
    private final PeerIo io;
    private final String ip;
    private final Capabilities caps;
    private final String sender;
    private final List<String> recipients;
    private final MessageBody body;
    private final RecipientResult[] results;
    private final boolean[] accepted;
    private boolean mailAnswered;
    /** The peer's 421: it is closing the connection, so no further reply will come. */
    private PeerReply closing;

    Transaction(SmtpConnection c, String sender, List<String> recipients, MessageBody body) {
        this.c = c;
        this.io = c.io();
        this.ip = c.ip();
        this.caps = c.capabilities();
        this.sender = sender;
        this.recipients = List.copyOf(recipients);
        this.body = body;
        this.results = new RecipientResult[recipients.size()];
        this.accepted = new boolean[recipients.size()];
    }

    List<RecipientResult> run() throws SmtpFailure {
        List<String> commands = commands();
        long size = body.size();
        if (caps.tooBig(size)) {
            decideAll('D', "Sorry, the message is " + size + " bytes and " + ip + " takes at most "
                + caps.sizeLimit() + ". (#5.3.4)");
            return finish();
        }
        InputStream in = open();
        try {
            return exchange(commands, in);
        } finally {
            try {
                in.close();
            } catch (IOException e) {
                // Everything it had to give was read, or the failure is already reported.
            }
        }
    }

    /** Built before anything is sent, so a bad address is the caller's exception, not a broken session. */
    private List<String> commands() {
        StringBuilder mail = new StringBuilder("MAIL FROM:").append(MailPath.of(sender));
        if (caps.sizeLimit() >= 0) {
            mail.append(" SIZE=").append(body.size());
        }
        if (caps.eightBitMime()) {
            mail.append(" BODY=8BITMIME");
        }
        List<String> commands = new ArrayList<>(recipients.size() + 1);
        commands.add(mail.toString());
        for (String r : recipients) {
            commands.add("RCPT TO:" + MailPath.of(r));
        }
        return commands;
    }

    private InputStream open() throws SmtpFailure {
        try {
            return body.open();
        } catch (IOException e) {
            throw SmtpFailure.local("Unable to read message: " + SmtpConnection.why(e) + ". (#4.3.0)", e);
        }
    }

    private List<RecipientResult> exchange(List<String> commands, InputStream in) throws SmtpFailure {
        try {
            PeerReply mail = envelope(commands);
            if (closing != null) {
                c.broken();
                decideAll('Z', "Connected to " + ip + " but it closed the connection.\nRemote host said: "
                    + closing.said());
                return finish();
            }
            if (!mail.positive()) {
                decideAll(letter(mail), "Connected to " + ip + " but sender was rejected.\nRemote host said: "
                    + mail.said());
                reset();
                return finish();
            }
            if (!anyAccepted()) {
                reset();
                return finish();
            }
            PeerReply data = reply("DATA");
            if (data.code() != 354) {
                decideAccepted(letter(data), ip + " failed on DATA command.\nRemote host said: " + data.said());
                if (data.positive()) {
                    c.broken(); // A 2xx to DATA: we no longer know what the peer thinks comes next.
                } else {
                    reset();
                }
                return finish();
            }
        } catch (IOException e) {
            c.broken();
            if (!mailAnswered) {
                throw SmtpFailure.nextHost("Connected to " + ip + " but connection died before the sender was"
                    + " accepted: " + SmtpConnection.why(e) + ". (#4.4.2)", e);
            }
            decideAll('Z', "Connected to " + ip + " but connection died: " + SmtpConnection.why(e) + ". (#4.4.2)");
            return finish();
        }
        return message(in);
    }

    /** MAIL and every RCPT, in windows when pipelining, else one at a time; returns the reply to MAIL. */
    private PeerReply envelope(List<String> commands) throws IOException {
        int window = caps.pipelining() ? WINDOW : 1;
        PeerReply mail = null;
        for (int sent = 0; sent < commands.size() && (mail == null || mail.positive()); ) {
            int end = Math.min(commands.size(), sent + window);
            for (int i = sent; i < end; i++) {
                io.command(commands.get(i));
            }
            io.flush();
            for (int i = sent; i < end; i++) {
                PeerReply r = read();
                if (i == 0) {
                    mail = r;
                    mailAnswered = true;
                } else if (mail.positive()) {
                    recipient(i - 1, r);
                }
                if (closing != null) {
                    return mail;
                }
            }
            sent = end;
        }
        return mail;
    }

    private void recipient(int i, PeerReply r) {
        if (r.positive()) {
            accepted[i] = true;
        } else {
            decide(i, letter(r), ip + " does not like recipient.\nRemote host said: " + r.said());
        }
    }

    /** DATA was accepted: the message, then its reply. */
    private List<RecipientResult> message(InputStream in) throws SmtpFailure {
        try {
            BodyEncoder.encode(in, io.output());
            io.flush();
        } catch (BodyEncoder.SourceException e) {
            // Closing in the middle of the data makes the peer drop what it got.
            c.broken();
            throw SmtpFailure.local("Unable to read message: " + SmtpConnection.why(e) + ". (#4.3.0)", e);
        } catch (IOException e) {
            c.broken();
            decideAccepted('Z', "Connected to " + ip + " but connection died while I sent the message: "
                + SmtpConnection.why(e) + ". (#4.4.2)");
            return finish();
        }
        try {
            PeerReply r = read();
            if (r.positive()) {
                decideAccepted('K', ip + " accepted message.\nRemote host said: " + r.said());
            } else {
                decideAccepted(letter(r), ip + " failed after I sent the message.\nRemote host said: " + r.said());
                if (!r.temporary() && !r.permanent()) {
                    c.broken(); // A 3xx here: we no longer know where the peer is.
                }
            }
        } catch (IOException e) {
            c.broken();
            decideAccepted('Z', "Connected to " + ip + " but connection died: " + SmtpConnection.why(e)
                + ". Possible duplicate! (#4.4.2)");
        }
        return finish();
    }

    private PeerReply reply(String command) throws IOException {
        io.command(command);
        io.flush();
        return read();
    }

    /** Reads a reply; after a 421 the peer is going away, so the connection is not used again. */
    private PeerReply read() throws IOException {
        PeerReply r = io.readReply();
        if (r.code() == 421) {
            c.unusable();
            closing = r;
        }
        return r;
    }

    /** RSET after a transaction that did not reach the end of the data, so the next one starts clean. */
    private void reset() {
        if (!c.reusable()) {
            return;
        }
        try {
            if (!reply("RSET").positive()) {
                c.unusable();
            }
        } catch (IOException e) {
            c.broken();
        }
    }

    /** A 4xx is temporary; a 5xx permanent; anything else in that place is not understood, so temporary. */
    private static char letter(PeerReply r) {
        return r.permanent() ? 'D' : 'Z';
    }

    private boolean anyAccepted() {
        for (boolean a : accepted) {
            if (a) {
                return true;
            }
        }
        return false;
    }

    private void decide(int i, char code, String text) {
        if (results[i] == null) {
            results[i] = new RecipientResult(recipients.get(i), code, text);
        }
    }

    private void decideAll(char code, String text) {
        for (int i = 0; i < results.length; i++) {
            decide(i, code, text);
        }
    }

    private void decideAccepted(char code, String text) {
        for (int i = 0; i < results.length; i++) {
            if (accepted[i]) {
                decide(i, code, text);
            }
        }
    }

    private List<RecipientResult> finish() {
        decideAll('Z', "Connected to " + ip + " but the transaction did not finish. (#4.4.2)");
        return List.of(results);
    }
}
