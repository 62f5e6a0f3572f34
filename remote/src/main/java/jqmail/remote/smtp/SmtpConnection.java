package jqmail.remote.smtp;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.List;

/**
 * One SMTP connection to one peer, for one or more transactions: what
 * qmail-remote does for one message, done so that the caller can put up to
 * {@link ClientSettings#maxRecipientsPerTransaction()} recipients in one
 * transaction and several messages on one connection.
 *
 * <p>Not thread-safe: one delivery thread owns a connection.
 */
public final class SmtpConnection implements Closeable {
    private static final int QUIT_TIMEOUT_MILLIS = 5_000;

    private final PeerIo io;
    private final ClientSettings settings;
    private final String ip;
    private final Capabilities capabilities;
    private final String tlsSummary;
    private boolean usable = true;
    private boolean closed;

    SmtpConnection(PeerIo io, ClientSettings settings, String ip, Capabilities capabilities, String tlsSummary) {
        this.io = io;
        this.settings = settings;
        this.ip = ip;
        this.capabilities = capabilities;
        this.tlsSummary = tlsSummary;
    }

    /**
     * Connects within {@code connectTimeoutMillis}, reads the greeting, says
     * EHLO (HELO when EHLO gets a 5xx), STARTTLS as the policy says (and
     * EHLO again), and AUTH PLAIN or LOGIN when the settings hold
     * credentials (only over TLS, unless the peer is on loopback).
     *
     * <p>Every failure is temporary and worth another host: a 4xx or 5xx
     * greeting, a timeout, a malformed reply, a refused name, TLS that the
     * policy cannot accept, refused credentials. See {@link SmtpFailure}.
     *
     * @param peerName the name the peer's certificate must carry (the MX name), null for its address
     */
    public static SmtpConnection open(InetSocketAddress address, String peerName, ClientSettings s)
        throws SmtpFailure {
        try {
            return new Opening(address, peerName, s).run(s.tls() != TlsPolicy.NONE);
        } catch (Opening.HandshakeFailed e) {
            // OPPORTUNISTIC only: the peer offered STARTTLS and could not do it; plain text is no worse than no offer.
            try {
                return new Opening(address, peerName, s).run(false);
            } catch (Opening.HandshakeFailed impossible) {
                throw new IllegalStateException("TLS tried on a plain-text retry", impossible);
            }
        }
    }

    /**
     * One transaction: MAIL FROM (with SIZE= when SIZE is offered and
     * BODY=8BITMIME when 8BITMIME is), RCPT TO for each recipient (pipelined
     * when PIPELINING is offered), DATA, the message, and its reply. Returns
     * one result per recipient, in order:
     * <ul>
     * <li>a message over the peer's SIZE: every recipient D, nothing sent;</li>
     * <li>MAIL refused: every recipient D (5xx) or Z (4xx), then RSET;</li>
     * <li>RCPT refused: that recipient D (5xx) or Z (4xx); when none is
     * accepted, RSET and no DATA;</li>
     * <li>DATA refused, or the reply after the message is 4xx or 5xx: every
     * accepted recipient Z or D; a 2xx there: K;</li>
     * <li>the connection breaks or times out (or the peer says something
     * malformed) after MAIL was accepted: every recipient not yet decided Z.
     * After the whole message was sent the text says "Possible duplicate!":
     * the peer may have it, qmail's rule is that a duplicate is better than
     * a loss.</li>
     * </ul>
     *
     * @throws SmtpFailure when the connection was not usable, or broke before
     *                     the peer answered MAIL (try another connection or host:
     *                     {@code tryNextHost()}), or when the message could not
     *                     be read (not the peer's fault: {@code tryNextHost()} false)
     * @throws IllegalArgumentException with no recipients, more than the settings allow,
     *                     or an address with CR, LF or NUL
     */
    public List<RecipientResult> send(String sender, List<String> recipients, MessageBody body)
        throws SmtpFailure {
        if (recipients.isEmpty() || recipients.size() > settings.maxRecipientsPerTransaction()) {
            throw new IllegalArgumentException("between 1 and " + settings.maxRecipientsPerTransaction()
                + " recipients per transaction, not " + recipients.size());
        }
        if (!usable || closed) {
            throw SmtpFailure.nextHost("The connection to " + ip + " is no longer usable. (#4.4.2)", null);
        }
        return new Transaction(this, sender, recipients, body).run();
    }

    /** Null for plain text, else the protocol and cipher suite, e.g. "TLSv1.3 TLS_AES_256_GCM_SHA384". */
    public String tlsSummary() {
        return tlsSummary;
    }

    /** What the peer said when it last asked us to slow down (421, or 4xx with a 4.7.x code); null if never. */
    public String throttledBy() {
        PeerReply r = io.throttle();
        return r == null ? null : r.said();
    }

    /** True while the connection is open and in step with the peer, so another {@code send} may use it. */
    public boolean reusable() {
        return usable && !closed;
    }

    /** Says QUIT, waits a few seconds at most for the reply, and closes. */
    public void quit() {
        if (reusable()) {
            try {
                io.command("QUIT");
                io.flush();
                io.readReply(Math.min(QUIT_TIMEOUT_MILLIS, io.timeoutMillis()));
            } catch (IOException e) {
                // Saying goodbye is a courtesy.
            }
        }
        close();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            usable = false;
            io.close();
        }
    }

    PeerIo io() {
        return io;
    }

    String ip() {
        return ip;
    }

    Capabilities capabilities() {
        return capabilities;
    }

    /** The connection is out of step (broken, timed out, malformed reply, 421): close it. */
    void broken() {
        close();
    }

    /** A reply that the client cannot act on keeps the connection from further use. */
    void unusable() {
        usable = false;
    }

    /** Few words on why I/O failed, for a report. */
    static String why(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return e.getMessage() != null ? e.getMessage() : "timed out";
        }
        if (e instanceof EOFException) {
            return "connection closed by the peer";
        }
        if (e instanceof PeerIo.MalformedReply) {
            return "malformed reply: " + e.getMessage();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
