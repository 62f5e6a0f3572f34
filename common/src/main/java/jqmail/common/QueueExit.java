package jqmail.common;

/**
 * qmail-queue's exit codes, the one table every caller and the queue daemon
 * share. 0 is success, 11 to 40 are permanent, every other code is
 * temporary (qmail's rule, kept byte-compatible so qmail-aware callers and
 * QMAILQUEUE filters read them unchanged). The text is what a caller shows:
 * qmail's wording where qmail has one.
 */
public enum QueueExit {
    OK(0, "ok"),
    ADDRESS_TOO_LONG(11, "envelope address too long for qq (#5.1.3)"),
    ADDRESS_FORBIDDEN_BYTE(12, "envelope address contains CR, LF or NUL (#5.1.3)"),
    REFUSED_PERMANENTLY(31, "mail server permanently rejected message (#5.3.0)"),
    OUT_OF_MEMORY(51, "qq out of memory (#4.3.0)"),
    TIMEOUT(52, "qq timeout (#4.3.0)"),
    WRITE_ERROR(53, "qq write error or disk full (#4.3.0)"),
    READ_ERROR(54, "qq read error (#4.3.0)"),
    CONFIG_ERROR(55, "qq unable to read configuration (#4.3.0)"),
    HOME_ERROR(61, "qq trouble in home directory (#4.3.0)"),
    QUEUE_ERROR(62, "qq trouble creating files in queue (#4.3.0)"),
    DAEMON_REFUSED(71, "mail server temporarily rejected message (#4.3.0)"),
    DAEMON_TIMEOUT(72, "connection to mail server timed out (#4.4.1)"),
    DAEMON_UNREACHABLE(73, "connection to mail server rejected (#4.4.1)"),
    DAEMON_FAILED(74, "communication with mail server failed (#4.4.2)"),
    BUG(81, "qq internal bug (#4.3.0)"),
    ENVELOPE_FORMAT(91, "qq envelope format error (#4.3.0)");

    private final int code;
    private final String text;

    QueueExit(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int code() {
        return code;
    }

    public String text() {
        return text;
    }

    public boolean isPermanent() {
        return isPermanent(code);
    }

    /** qmail's rule for any exit code, including ones not in this table. */
    public static boolean isPermanent(int code) {
        return code >= 11 && code <= 40;
    }

    /** The entry for a code; an unknown code maps to a temporary failure, never to success. */
    public static QueueExit of(int code) {
        for (QueueExit e : values()) {
            if (e.code == code) {
                return e;
            }
        }
        return isPermanent(code) ? REFUSED_PERMANENTLY : BUG;
    }
}
