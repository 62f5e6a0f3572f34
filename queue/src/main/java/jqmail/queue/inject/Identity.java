package jqmail.queue.inject;

import java.io.IOException;
import java.util.Map;
import jqmail.common.Control;

/**
 * Who is sending, and how bare addresses are completed, from qmail-inject's
 * environment variables and control files: the user from QMAILUSER,
 * MAILUSER, USER, LOGNAME (else the JVM's user name); the host from
 * QMAILHOST, MAILHOST, {@code control/defaulthost}, {@code control/me};
 * the full name from QMAILNAME, MAILNAME, NAME; the envelope's user and host
 * from QMAILSUSER and QMAILSHOST when set; the Message-ID host from
 * QMAILIDHOST, {@code control/idhost}, {@code control/me}; the rewriting's
 * default host, domain and plus domain from QMAILDEFAULTHOST,
 * QMAILDEFAULTDOMAIN, QMAILPLUSDOMAIN or their control files; QMAILINJECT's
 * flag letters.
 */
record Identity(String user, String host, String name, String envelopeUser, String envelopeHost, String idHost,
                Rewriter rewriter, String flags) {

    static Identity of(Map<String, String> env, Control control) throws IOException {
        String me = control.me();
        String user = first(env, "QMAILUSER", "MAILUSER", "USER", "LOGNAME");
        if (user == null) {
            user = System.getProperty("user.name", "anonymous");
        }
        String host = first(env, "QMAILHOST", "MAILHOST");
        if (host == null) {
            host = control.line("defaulthost", me);
        }
        String suser = first(env, "QMAILSUSER");
        String shost = first(env, "QMAILSHOST");
        String idHost = first(env, "QMAILIDHOST");
        String defaultHost = or(first(env, "QMAILDEFAULTHOST"), control.line("defaulthost", me));
        Rewriter rewriter = new Rewriter(defaultHost,
            or(first(env, "QMAILDEFAULTDOMAIN"), control.line("defaultdomain", me.indexOf('.') < 0 ? null : me)),
            or(first(env, "QMAILPLUSDOMAIN"), control.line("plusdomain", me)));
        String flags = first(env, "QMAILINJECT");
        return new Identity(user, host, first(env, "QMAILNAME", "MAILNAME", "NAME"),
            suser != null ? suser : user, shost != null ? shost : host,
            idHost != null ? idHost : control.line("idhost", me), rewriter, flags == null ? "" : flags);
    }

    boolean flag(char c) {
        return flags.indexOf(c) >= 0;
    }

    /** The same identity with the envelope sender {@code -f} gave, which also becomes the From: address. */
    Identity sendingAs(String address) {
        int at = address.lastIndexOf('@');
        String u = at < 0 ? address : address.substring(0, at);
        String h = at < 0 ? host : address.substring(at + 1);
        return new Identity(u, h, name, u, h, idHost, rewriter, flags);
    }

    Identity named(String fullName) {
        return new Identity(user, host, fullName, envelopeUser, envelopeHost, idHost, rewriter, flags);
    }

    private static String or(String a, String b) {
        return a != null ? a : b;
    }

    private static String first(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }
}
