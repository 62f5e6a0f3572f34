package jqmail.common.smtp;

import java.util.Locale;

/**
 * The SMTP command table (Postfix's {@code smtpd_cmd_table}): each verb the
 * session knows, with named flags instead of positional booleans.
 */
public enum Verb {
    EHLO(Flags.ANY),
    HELO(Flags.ANY),
    STARTTLS(Flags.NO_ARGUMENT),
    AUTH(Flags.ANY),
    MAIL(Flags.ANY),
    RCPT(Flags.ANY),
    DATA(Flags.NO_ARGUMENT),
    RSET(Flags.NO_ARGUMENT),
    NOOP(Flags.ANY),
    QUIT(Flags.NO_ARGUMENT),
    VRFY(Flags.ANY),
    HELP(Flags.ANY);

    /** What the verb accepts after it. */
    enum Flags { ANY, NO_ARGUMENT }

    private final Flags flags;

    Verb(Flags flags) {
        this.flags = flags;
    }

    public boolean takesNoArgument() {
        return flags == Flags.NO_ARGUMENT;
    }

    /** The verb of a command line, case-insensitive; null when unknown. */
    public static Verb of(String word) {
        if (word.length() != 4 && word.length() != 8) {
            return null;
        }
        try {
            return valueOf(word.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
