package jqmail.remote.smtp;

/**
 * A failure of the connection or of a transaction before any recipient's
 * result is known: the greeting, EHLO/HELO, STARTTLS or AUTH failed, or the
 * connection broke before the peer answered MAIL. The message is
 * qmail-remote's kind of text ("Connected to 192.0.2.1 but greeting
 * failed.\nRemote host said: 554 go away").
 *
 * <p>A peer that greets with 5xx, refuses our name or fails TLS is a
 * temporary failure that tries the next host ({@code permanent() == false},
 * {@code tryNextHost() == true}): only the caller knows whether this was the
 * last host, and even then qmail's rule holds that a message is bounced only
 * when a peer rejects it, or its queue lifetime runs out.
 */
public final class SmtpFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean permanent;
    private final boolean tryNextHost;
    private final boolean connectTimedOut;
    private final String throttledBy;

    private SmtpFailure(String text, boolean permanent, boolean tryNextHost, boolean connectTimedOut,
                        String throttledBy, Throwable cause) {
        super(text, cause);
        this.permanent = permanent;
        this.tryNextHost = tryNextHost;
        this.connectTimedOut = connectTimedOut;
        this.throttledBy = throttledBy;
    }

    /** A failure at this host; another host (MX) may do better. */
    static SmtpFailure nextHost(String text, Throwable cause) {
        return new SmtpFailure(text, false, true, false, null, cause);
    }

    /** The peer refused to go on ({@code reply}); another host may do better. */
    static SmtpFailure refused(String text, PeerReply reply) {
        return new SmtpFailure(text, false, true, false, reply.throttling() ? reply.said() : null, null);
    }

    /** The connect itself timed out: what qmail-tcpto counts against a host. */
    static SmtpFailure connectTimeout(String text, Throwable cause) {
        return new SmtpFailure(text, false, true, true, null, cause);
    }

    /** A temporary failure on our side (the message could not be read): no other host would help. */
    static SmtpFailure local(String text, Throwable cause) {
        return new SmtpFailure(text, false, false, false, null, cause);
    }

    /** What the peer said when it refused us with 421 or a 4.7.x code (it asks us to slow down); else null. */
    public String throttledBy() {
        return throttledBy;
    }

    public boolean permanent() {
        return permanent;
    }

    public boolean tryNextHost() {
        return tryNextHost;
    }

    /** True when the TCP connect timed out (not refused, not a later failure); qmail-tcpto counts only these. */
    public boolean connectTimedOut() {
        return connectTimedOut;
    }
}
