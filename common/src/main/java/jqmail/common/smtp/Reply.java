package jqmail.common.smtp;

import jqmail.common.Printable;

/**
 * Every reply the SMTP server can send, in one place (qmail-smtpd keeps its
 * {@code err_*} functions in one block). Each has its code, its enhanced
 * status (RFC 3463; none for the greeting, HELO/EHLO and 354, as RFC 2034
 * says) and its text, where {@code %s} takes an argument that
 * {@link #format} cleans of CR, LF and other control bytes. The texts name
 * no software and no version.
 */
public enum Reply {
    GREETING(220, null, "%s ESMTP"),
    READY_FOR_TLS(220, "2.0.0", "ready to start TLS"),
    HELO(250, null, "%s"),
    OK(250, "2.0.0", "ok"),
    SENDER_OK(250, "2.1.0", "ok"),
    RECIPIENT_OK(250, "2.1.5", "ok"),
    QUEUED(250, "2.0.0", "ok %s"),
    FLUSHED(250, "2.0.0", "flushed"),
    VRFY(252, "2.5.2", "send some mail, I'll try my best"),
    HELP(214, "2.0.0", "commands: EHLO HELO STARTTLS AUTH MAIL RCPT DATA RSET NOOP QUIT VRFY HELP"),
    BYE(221, "2.0.0", "%s closing connection"),
    GO_AHEAD(354, null, "go ahead, end with <CRLF>.<CRLF>"),
    AUTH_OK(235, "2.7.0", "authentication successful"),
    AUTH_CHALLENGE(334, null, "%s"),

    SHUTTING_DOWN(421, "4.3.2", "service shutting down, try later"),
    TOO_MANY_CONNECTIONS(421, "4.7.0", "too many connections, try later"),
    TOO_MANY_FROM_YOU(421, "4.7.0", "too many connections from your address, try later"),
    CONTROL_TROUBLE(421, "4.3.0", "unable to read controls"),
    INTERNAL(421, "4.3.0", "internal error, try later"),
    TOO_MANY_ERRORS(421, "4.7.0", "too many errors, closing connection"),
    TIMEOUT(451, "4.4.2", "timeout, closing connection"),
    SESSION_TOO_LONG(421, "4.7.0", "too much data in one session, closing connection"),
    QUEUE_TEMPORARY(451, "4.3.0", "%s"),
    BLOCKED_TEMPORARILY(451, "4.7.1", "%s"),
    TOO_MANY_RECIPIENTS(452, "4.5.3", "too many recipients"),
    STORAGE_LOW(452, "4.3.1", "insufficient system storage, try later"),

    LINE_TOO_LONG(500, "5.5.2", "line too long"),
    BAD_COMMAND(500, "5.5.2", "syntax error in command"),
    SYNTAX(501, "5.5.4", "syntax error in parameters"),
    NEED_DOMAIN(501, "5.5.4", "%s requires a domain name"),
    BAD_PATH(501, "5.1.3", "bad address syntax"),
    UNIMPLEMENTED(502, "5.5.1", "unimplemented"),
    MAIL_FIRST(503, "5.5.1", "MAIL first"),
    TLS_ACTIVE(503, "5.5.1", "TLS already active"),
    NO_TLS(454, "4.7.0", "TLS not available"),
    AUTH_TEMPORARY(454, "4.7.0", "temporary authentication failure, try later"),
    AUTH_LIMITED(454, "4.7.0", "too many failed authentication attempts, try later"),
    AUTH_NEEDS_TLS(530, "5.7.0", "must issue a STARTTLS command first"),
    AUTH_REQUIRED(530, "5.7.0", "authentication required"),
    AUTH_FAILED(535, "5.7.8", "authentication credentials invalid"),
    AUTH_ABORTED(501, "5.0.0", "authentication aborted"),
    AUTH_UNDECODABLE(501, "5.5.2", "cannot decode response"),
    AUTH_MECHANISM(504, "5.5.4", "unrecognized authentication type"),
    ALREADY_AUTHENTICATED(503, "5.5.1", "already authenticated"),
    AUTH_IN_TRANSACTION(503, "5.5.1", "AUTH not permitted during a mail transaction"),
    EHLO_FIRST(503, "5.5.1", "send EHLO first"),
    RCPT_FIRST(503, "5.5.1", "RCPT first"),
    NESTED_MAIL(503, "5.5.1", "nested MAIL command"),
    UNKNOWN_PARAMETER(555, "5.5.4", "unrecognized MAIL or RCPT parameter"),
    SIZE_TOO_BIG(552, "5.3.4", "message size exceeds fixed maximum message size"),
    DATABYTES(552, "5.3.4", "sorry, that message size exceeds my databytes limit"),
    BADMAILFROM(553, "5.7.1", "sorry, your envelope sender is in my badmailfrom list"),
    NOT_OUR_DOMAIN(553, "5.7.1", "sorry, that domain isn't in my list of allowed rcpthosts"),
    BLOCKED(553, "5.7.1", "%s"),
    NO_SUCH_USER(550, "5.1.1", "sorry, no mailbox here by that name"),
    NO_VALID_RECIPIENTS(554, "5.5.1", "no valid recipients"),
    LOOPING(554, "5.4.6", "too many hops, this message is looping"),
    QUEUE_PERMANENT(554, "5.3.0", "%s");

    private final int code;
    private final String status;
    private final String text;

    Reply(int code, String status, String text) {
        this.code = code;
        this.status = status;
        this.text = text;
    }

    public int code() {
        return code;
    }

    public String status() {
        return status;
    }

    public String text() {
        return text;
    }

    /** The whole reply line with CRLF. */
    public String format(String... args) {
        String t = text;
        for (String a : args) {
            int at = t.indexOf("%s");
            if (at < 0) {
                break;
            }
            t = t.substring(0, at) + clean(a) + t.substring(at + 2);
        }
        return code + " " + (status == null ? "" : status + " ") + t + "\r\n";
    }

    /** Printable ASCII only: a reply never carries a client's CR, LF or control bytes back. */
    static String clean(String s) {
        return Printable.line(s, '?', 200);
    }
}
