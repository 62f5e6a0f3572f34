package jqmail.common.smtp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jqmail.common.Control;
import jqmail.common.Routing;

/**
 * The control files an SMTP session reads, each connection anew (qmail's
 * rule: a new value applies from the next connection).
 *
 * <pre>
 * me              this host's name (default: the kernel's host name)
 * smtpgreeting    the text after "220 " (default: me)
 * databytes       largest message in stored bytes; 0 means no limit (default 31457280;
 *                 the DATABYTES variable overrides)
 * timeoutsmtpd    seconds for each read and each write (default 1200)
 * rcpthosts, morercpthosts   domains we accept mail for ("domain" or ".suffix");
 *                 without rcpthosts: the locals and the virtual domains, never everyone
 * locals          domains delivered here (default: me)
 * virtualdomains  qmail's "domain:prepend" lines
 * badmailfrom     senders refused: an address, or "@domain"
 * unknownrcpt     reject (550 at RCPT, default), discard (accept, deliver nothing) or
 *                 bounce (accept; delivery bounces it)
 * localiphost     replaces one of our own address literals (default: me)
 * maxrcpt         recipients per message (default 1000; more gets 452)
 * </pre>
 */
public record SmtpSettings(String me, String greeting, long databytes, long timeoutSeconds,
                           List<String> rcpthosts, Routing routing,
                           List<String> badmailfrom, UnknownRecipients unknownRecipients, String localIpHost,
                           int maxRecipients) {
    /** What to do with a recipient in a local domain that has no mailbox. */
    public enum UnknownRecipients { REJECT, DISCARD, BOUNCE }

    public static final long DEFAULT_DATABYTES = 31_457_280L;

    /** @param databytesEnv the DATABYTES variable, or null */
    public static SmtpSettings read(Control c, String databytesEnv) throws IOException {
        String me = c.me();
        long databytes = c.number("databytes", DEFAULT_DATABYTES);
        if (databytesEnv != null && !databytesEnv.isEmpty()) {
            try {
                databytes = Long.parseLong(databytesEnv.strip());
            } catch (NumberFormatException e) {
                throw new IOException("DATABYTES is not a number");
            }
        }
        Routing routing = Routing.read(c);
        List<String> rcpthosts;
        if (c.exists("rcpthosts")) {
            rcpthosts = new ArrayList<>(lower(c.list("rcpthosts")));
            rcpthosts.addAll(lower(c.list("morercpthosts")));
        } else {
            rcpthosts = routing.ownDomains();
        }
        String unknown = c.line("unknownrcpt", "reject").toLowerCase(Locale.ROOT);
        UnknownRecipients ur;
        switch (unknown) {
            case "reject" -> ur = UnknownRecipients.REJECT;
            case "discard" -> ur = UnknownRecipients.DISCARD;
            case "bounce" -> ur = UnknownRecipients.BOUNCE;
            default -> throw new IOException("control/unknownrcpt: reject, discard or bounce, not " + unknown);
        }
        return new SmtpSettings(me, c.line("smtpgreeting", me), databytes, c.number("timeoutsmtpd", 1200),
            List.copyOf(rcpthosts), routing, lower(c.list("badmailfrom")), ur,
            c.line("localiphost", me), (int) Math.min(100_000, Math.max(1, c.number("maxrcpt", 1000))));
    }

    private static List<String> lower(List<String> l) {
        List<String> out = new ArrayList<>(l.size());
        for (String s : l) {
            out.add(s.toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /** A session may send ten of the largest messages, and no more: memory and disk stay bounded. */
    public long sessionByteCap() {
        long base = databytes <= 0 ? DEFAULT_DATABYTES : databytes;
        return Math.max(base, 1L << 20) * 10;
    }

    /** rcpthosts' rule: the domain itself or any ".suffix" of it is listed. */
    public boolean acceptsDomain(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (rcpthosts.contains(d)) {
            return true;
        }
        for (int i = d.indexOf('.'); i >= 0; i = d.indexOf('.', i + 1)) {
            if (rcpthosts.contains(d.substring(i))) {
                return true;
            }
        }
        return false;
    }

    /** badmailfrom: the exact address or "@domain", case-insensitive. */
    public boolean isBadSender(String sender) {
        if (sender.isEmpty()) {
            return false;
        }
        String s = sender.toLowerCase(Locale.ROOT);
        int at = s.lastIndexOf('@');
        return badmailfrom.contains(s) || at >= 0 && badmailfrom.contains(s.substring(at));
    }
}
