package jqmail.local.pop3d;

/**
 * Every fixed reply line the session can send, in one place. Where %d
 * appears it takes a message number. Temporary trouble carries RFC 2449's
 * {@code [SYS/TEMP]} (CAPA announces RESP-CODES). No text names the
 * software or its version.
 */
enum Reply {
    LOGGED_IN("+OK logged in"),
    OK("+OK"),
    CAPABILITIES("+OK capability list follows"),
    BYE("+OK bye"),

    UNKNOWN("-ERR unknown command"),
    SYNTAX("-ERR syntax error"),
    LINE_TOO_LONG("-ERR line too long"),
    NOT_ASCII("-ERR commands are printable ASCII"),
    AUTHENTICATED("-ERR already authenticated"),
    NO_SUCH_MESSAGE("-ERR no such message"),
    DELETED("-ERR message %d is deleted"),
    GONE("-ERR message %d is gone"),
    TOO_MANY_ERRORS("-ERR too many errors"),
    UNREADABLE("-ERR [SYS/TEMP] unable to read message %d"),
    NOT_REMOVED("-ERR [SYS/TEMP] some deleted messages were not removed"),
    NO_CONTROL("-ERR [SYS/TEMP] unable to read controls"),
    NO_MAILDIR("-ERR [SYS/TEMP] unable to read the maildir"),
    TIMEOUT("-ERR idle too long");

    final String text;

    Reply(String text) {
        this.text = text;
    }

    /** Whether the client's own command earned it: those count towards the error limit. */
    boolean clientError() {
        return text.startsWith("-ERR") && !text.contains("[SYS/");
    }

    String format(long number) {
        return text.replace("%d", Long.toString(number));
    }
}
