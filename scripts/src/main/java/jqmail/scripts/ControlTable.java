package jqmail.scripts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jqmail.common.Control;
import jqmail.common.Home;
import jqmail.common.Identities;
import jqmail.common.Routing;
import jqmail.common.smtp.SmtpSettings;

/**
 * Every control file jqmail reads, in one table: its name, how it is read,
 * its default, and what its value means in plain words. {@code jqmail
 * showctl} prints it; ControlTableTest holds it against the code that reads
 * the files, so a file the code starts reading cannot be missing here.
 */
final class ControlTable {
    /** How the code reads a file: {@link Control}'s line, number or list, or by name (tcpserver's rules). */
    enum Shape { LINE, NUMBER, LIST, FILE }

    /** One sentence on what the effective value means; other files' values come from {@code all}. */
    interface Meaning {
        String explain(List<String> value, Values all) throws IOException;
    }

    /** The value when the file is absent (most names default to {@code me}). */
    interface Fallback {
        List<String> of(Values all) throws IOException;
    }

    /**
     * One control file. {@code literal} is the default exactly as the code
     * writes it when the code writes a constant, else null (the default is
     * computed: {@code me}, the kernel's host name, the home's mode).
     */
    record Row(String name, Shape shape, String literal, Fallback fallback, Meaning meaning) {
    }

    static final List<Row> ROWS = List.of(
        computed("me", Shape.LINE, all -> List.of(Control.systemHostName()),
            (v, all) -> "This host's mail name is " + v.get(0) + "; most other names default to it."),
        computed("locals", Shape.LIST, all -> List.of(all.one("me")),
            (v, all) -> v.isEmpty() ? "No domain is delivered locally, except through virtualdomains."
                : "Mail for " + list(v) + " is delivered to local users."),
        none("virtualdomains", Shape.LIST,
            (v, all) -> v.isEmpty() ? "There are no virtual domains."
                : "Mail for a domain on the left (or user@domain, or a .suffix) goes to the local user on the "
                    + "right as user-address; an empty right side makes it remote."),
        computed("envnoathost", Shape.LINE, all -> List.of(all.one("me")),
            (v, all) -> "An envelope recipient without @ is taken as recipient@" + v.get(0) + "."),
        computed("rcpthosts", Shape.LIST, ControlTable::ownDomains, ControlTable::rcpthosts),
        none("morercpthosts", Shape.LIST,
            (v, all) -> !all.present("rcpthosts") ? "Ignored: it only adds to rcpthosts, which is absent."
                : v.isEmpty() ? "It adds no domain to rcpthosts."
                : "SMTP clients may also send messages to recipients at " + list(v) + "."),
        none("badmailfrom", Shape.LIST,
            (v, all) -> v.isEmpty() ? "No envelope sender is refused."
                : "SMTP clients get 553 for every recipient of mail from these senders (an address, or @domain)."),
        constant("unknownrcpt", Shape.LINE, "reject", ControlTable::unknownrcpt),
        computed("smtpgreeting", Shape.LINE, all -> List.of(all.one("me")),
            (v, all) -> "The SMTP greeting is \"220 " + v.get(0) + "\"."),
        constant("databytes", Shape.NUMBER, Long.toString(SmtpSettings.DEFAULT_DATABYTES),
            (v, all) -> number(v) == 0 ? "SMTP messages may be of any size (the DATABYTES variable overrides)."
                : "SMTP messages may be at most " + number(v) + " bytes (the DATABYTES variable overrides)."),
        constant("timeoutsmtpd", Shape.NUMBER, "1200",
            (v, all) -> "The SMTP server waits " + number(v) + " seconds for each read and each write."),
        computed("localiphost", Shape.LINE, all -> List.of(all.one("me")),
            (v, all) -> "A recipient at one of this host's address literals, like postmaster@[127.0.0.1], "
                + "is taken as being at " + v.get(0) + "."),
        constant("maxrcpt", Shape.NUMBER, "1000",
            (v, all) -> "An SMTP message may have " + clamped(number(v), 1, 100_000)
                + " recipients; more get 452."),
        none("tcp.smtp", Shape.LIST,
            (v, all) -> !all.present("tcp.smtp") ? "jqmail start compiles nothing and leaves tcp.smtp.cdb as it is."
                : "jqmail start compiles these rules into tcp.smtp.cdb: which clients may connect, and which "
                    + "variables (RELAYCLIENT, DATABYTES ...) each one gets."),
        none("tcp.smtp.cdb", Shape.FILE, ControlTable::rulesCdb),
        constant("concurrencyincoming", Shape.NUMBER, "40",
            (v, all) -> "jqmail start lets the SMTP server take " + number(v) + " connections at once."),
        constant("concurrencyincomingip", Shape.NUMBER, "20",
            (v, all) -> "jqmail start lets the SMTP server take " + number(v) + " connections at once from one "
                + "address; the next gets 421."),
        none("dnsbls", Shape.LIST,
            (v, all) -> v.isEmpty() ? "No DNS blocklist is consulted."
                : "The SMTP server looks each client up in " + list(v) + "; a listed client's recipients get 451."),
        computed("smtplisten", Shape.LINE,
            all -> List.of(Identities.read(all.home()).isSystem() ? "0:25" : "127.0.0.1:2525"),
            (v, all) -> v.get(0).equals(Daemons.NO_SMTP) ? "jqmail start runs no SMTP server."
                : "jqmail start has the SMTP server listen on " + v.get(0) + " (--smtp overrides)."),
        none("submissionlisten", Shape.LINE, (v, all) -> listen(v, "submission (STARTTLS, then AUTH)", "--submission")),
        none("smtpslisten", Shape.LINE, (v, all) -> listen(v, "submission over TLS", "--smtps")),
        none("pop3listen", Shape.LINE, (v, all) -> listen(v, "POP3 (STLS)", "--pop3")),
        none("pop3slisten", Shape.LINE, (v, all) -> listen(v, "POP3 over TLS", "--pop3s")),
        constant("queueminfree", Shape.NUMBER, "50000000",
            (v, all) -> number(v) == 0 ? "The queue takes messages however full its file system is."
                : "The queue refuses new messages, temporarily, while its file system has less than " + number(v)
                    + " bytes free."),
        constant("queueuidlimit", Shape.NUMBER, "20",
            (v, all) -> "A user other than jqmail's own accounts may inject " + clamped(number(v), 1, Integer.MAX_VALUE)
                + " messages at once."),
        constant("queuelimit", Shape.NUMBER, "400",
            (v, all) -> "The queue takes " + clamped(number(v), 1, Integer.MAX_VALUE) + " injections at once."),
        constant("timeoutqueue", Shape.NUMBER, "1200",
            (v, all) -> "The queue drops an injecting client that is silent for "
                + clamped(number(v), 1, Integer.MAX_VALUE / 1000) + " seconds."),
        computed("idhost", Shape.LINE, all -> List.of(all.one("me")),
            (v, all) -> "Message-IDs made by sendmail and qmail-inject end in @" + v.get(0)
                + " (QMAILIDHOST overrides)."),
        computed("defaulthost", Shape.LINE, all -> List.of(all.one("me")),
            (v, all) -> "Mail from sendmail and qmail-inject without -f comes from USER@" + v.get(0)
                + ", and a bare name in their headers gets @" + v.get(0) + " (QMAILHOST overrides the first)."),
        computed("defaultdomain", Shape.LINE, all -> List.of(all.one("me")),
            (v, all) -> "sendmail and qmail-inject complete a host name without a dot with ." + v.get(0)
                + " (QMAILDEFAULTDOMAIN overrides)."),
        computed("plusdomain", Shape.LINE, all -> List.of(all.one("me")),
            (v, all) -> "sendmail and qmail-inject replace a host name's final + with ." + v.get(0)
                + " (QMAILPLUSDOMAIN overrides)."),
        constant("concurrencylocal", Shape.NUMBER, "10",
            (v, all) -> concurrency("Local", number(v))),
        constant("concurrencyremote", Shape.NUMBER, "20",
            (v, all) -> concurrency("Remote", number(v))),
        constant("queuelifetime", Shape.NUMBER, "604800",
            (v, all) -> "A message may stay in the queue " + number(v) + " seconds" + days(number(v))
                + "; then a temporary failure becomes permanent."),
        constant("bouncefrom", Shape.LINE, "MAILER-DAEMON",
            (v, all) -> "Bounces come from " + v.get(0) + "@" + all.one("bouncehost") + "."),
        computed("bouncehost", Shape.LINE, all -> List.of(all.one("me")),
            (v, all) -> "Bounces come from " + all.one("bouncefrom") + "@" + v.get(0) + "."),
        constant("doublebounceto", Shape.LINE, "postmaster",
            (v, all) -> "Bounces that cannot be delivered go to " + v.get(0) + "@" + all.one("doublebouncehost") + "."),
        computed("doublebouncehost", Shape.LINE, all -> List.of(all.one("me")),
            (v, all) -> "Bounces that cannot be delivered go to " + all.one("doublebounceto") + "@" + v.get(0) + "."),
        constant("defaultdelivery", Shape.LINE, "./Maildir/",
            (v, all) -> "A local user without a .qmail file gets mail as if it said " + v.get(0) + "."),
        none("smtproutes", Shape.LIST,
            (v, all) -> v.isEmpty() ? "Remote mail goes to each domain's MX hosts (else its own address)."
                : "Remote mail for the domains listed goes to the relay named (an empty domain: every other domain),"
                + " the rest by MX."),
        computed("helohost", Shape.LINE, all -> List.of(all.one("me")),
            (v, all) -> "qmail-rspawn says EHLO " + v.get(0) + "."),
        constant("timeoutconnect", Shape.NUMBER, "60",
            (v, all) -> "qmail-rspawn gives up on a connection that is not made in " + number(v) + " seconds."),
        constant("timeoutremote", Shape.NUMBER, "1200",
            (v, all) -> "qmail-rspawn gives up on a peer that does not answer in " + number(v) + " seconds."),
        constant("maxrcptremote", Shape.NUMBER, "100",
            (v, all) -> "One remote transaction carries at most " + clamped(number(v), 1, 10_000)
                + " recipients of a message at one domain; concurrencyremote counts transactions."),
        constant("concurrencydestination", Shape.NUMBER, "20",
            (v, all) -> "At most " + clamped(number(v), 1, 10_000) + " remote transactions run at once to one domain."),
        none("dnsservers", Shape.LIST,
            (v, all) -> v.isEmpty() ? "qmail-rspawn asks the DNS servers of /etc/resolv.conf."
                : "qmail-rspawn asks these DNS servers: " + list(v) + "."),
        constant("remoteipfamilies", Shape.LINE, "ipv6 ipv4",
            (v, all) -> "qmail-rspawn tries a host's addresses in this family order: " + v.get(0) + "."),
        none("tlsdestinations", Shape.LIST,
            (v, all) -> v.isEmpty() ? "qmail-rspawn uses STARTTLS when a peer offers it and accepts any certificate."
                : "qmail-rspawn's TLS policy for the destinations listed (none, may, encrypt, verify); others: may."),
        constant("timeoutpop3d", Shape.NUMBER, "1200",
            (v, all) -> "qmail-pop3d drops a POP3 client that is idle for "
                + clamped(number(v), 1, Integer.MAX_VALUE / 1000) + " seconds, reading or writing, and leaves"
                + " its mailbox as it was."),
        none("relayauth", Shape.FILE, ControlTable::relayauth),
        none("checkpassword", Shape.LINE,
            (v, all) -> v.isEmpty() ? "Only the virtual users of users/passwd may log in (SMTP AUTH, POP3)."
                : "A login name not in users/passwd is checked by this checkpassword program: " + v.get(0) + "."),
        constant("authfaildelay", Shape.NUMBER, "2",
            (v, all) -> "A failed login is answered only after " + number(v) + " seconds."),
        constant("authfailures", Shape.NUMBER, "10",
            (v, all) -> "After " + number(v) + " failed logins from one address in 15 minutes, its logins are"
                + " refused unchecked until the oldest failure is 15 minutes old."),
        none(Setup.SERVER_CERT, Shape.FILE,
            (v, all) -> v.isEmpty() ? "There is no server key and certificate: the SMTP server cannot offer STARTTLS."
                : "The SMTP server's key and certificate (PEM), readable by its account only; jqmail setup makes a"
                + " self-signed one for me."));

    private ControlTable() {
    }

    /** Only the file's size is shown: it holds passwords. */
    private static String relayauth(List<String> v, Values all) throws IOException {
        if (v.isEmpty()) {
            return "qmail-rspawn gives no relay a user name and password.";
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(all.home().control().resolve("relayauth"));
        return mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ)
            ? "It holds passwords and others may read it: qmail-rspawn refuses it (and does not start) until it is"
                + " chmod 600."
            : "qmail-rspawn logs in (AUTH) to the relays named in it, over TLS or loopback only.";
    }

    /** What a listening-address file means for jqmail start. */
    private static String listen(List<String> v, String service, String option) {
        return v.isEmpty() ? "jqmail start runs no " + service + " listener unless " + option + " asks for one."
            : "jqmail start has " + service + " listen on " + v.get(0) + " (" + option + " overrides).";
    }

    static Optional<Row> row(String name) {
        return ROWS.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    private static Row constant(String name, Shape shape, String literal, Meaning m) {
        return new Row(name, shape, literal, all -> List.of(literal), m);
    }

    private static Row none(String name, Shape shape, Meaning m) {
        return new Row(name, shape, null, all -> List.of(), m);
    }

    private static Row computed(String name, Shape shape, Fallback f, Meaning m) {
        return new Row(name, shape, null, f, m);
    }

    /** What smtpd takes instead of a missing rcpthosts, read by smtpd's own code. */
    private static List<String> ownDomains(Values all) throws IOException {
        return Routing.read(all.home().controlFiles()).ownDomains();
    }

    /** Not qmail's: without rcpthosts, jqmail takes mail for its own domains only, never for everyone. */
    private static String rcpthosts(List<String> v, Values all) throws IOException {
        String relay = " Clients with RELAYCLIENT (see tcp.smtp) may send to any recipient.";
        if (!all.present("rcpthosts")) {
            return (v.isEmpty() ? "SMTP clients may send messages to no recipient but postmaster"
                : "SMTP clients may send messages only to recipients at the local and virtual domains, " + list(v))
                + "." + relay;
        }
        return (v.isEmpty() ? "SMTP clients may send messages to no recipient but postmaster"
            : "SMTP clients may send messages only to recipients at these domains (a .suffix covers its subdomains)")
            + (all.of("morercpthosts").isEmpty() ? "" : " and at those in morercpthosts") + "." + relay;
    }

    private static String unknownrcpt(List<String> v, Values all) {
        String unknown = "A recipient at a local or virtual domain without such a user ";
        return switch (v.get(0).toLowerCase(Locale.ROOT)) {
            case "reject" -> unknown + "is refused at RCPT (550).";
            case "discard" -> unknown + "is accepted and silently dropped.";
            case "bounce" -> unknown + "is accepted and bounced at delivery.";
            default -> "Not reject, discard or bounce: SMTP clients get 421 until this is fixed.";
        };
    }

    private static String rulesCdb(List<String> v, Values all) throws IOException {
        Path cdb = all.home().control().resolve("tcp.smtp.cdb");
        Path text = all.home().control().resolve("tcp.smtp");
        if (!Files.exists(cdb)) {
            return "There are no compiled rules: every client may connect, and none may relay.";
        }
        boolean stale = Files.exists(text)
            && Files.getLastModifiedTime(text).compareTo(Files.getLastModifiedTime(cdb)) > 0;
        return "The SMTP server applies these compiled rules to each client"
            + (stale ? "; tcp.smtp is newer, and the next jqmail start compiles it." : ".");
    }

    private static String concurrency(String channel, long n) {
        long c = Math.min(1000, n);
        return channel + " concurrency is " + c + (c == 0 ? ": " + channel.toLowerCase(Locale.ROOT)
            + " deliveries are held." : n > 1000 ? " (the most jqmail runs; the file says " + n + ")." : ".");
    }

    private static String clamped(long n, long min, long max) {
        long c = Math.max(min, Math.min(max, n));
        return c == n ? Long.toString(c) : c + " (the file's " + n + " is out of range)";
    }

    private static long number(List<String> v) {
        return Long.parseLong(v.get(0));
    }

    private static String days(long seconds) {
        return seconds > 0 && seconds % 86_400 == 0 ? " (" + seconds / 86_400 + " days)" : "";
    }

    private static String list(List<String> v) {
        return String.join(", ", v);
    }

    /** The control files of one home as the code sees them: each file's content, else its default. */
    static final class Values {
        private final Home home;
        private final Control control;
        private final Map<String, List<String>> seen = new LinkedHashMap<>();

        Values(Home home) {
            this.home = home;
            this.control = home.controlFiles();
        }

        Home home() {
            return home;
        }

        /** Whether the file gives the value (an empty single-value file means its default, as in Control). */
        boolean present(String name) throws IOException {
            Row r = row(name).orElseThrow();
            return switch (r.shape()) {
                case LINE, NUMBER -> control.line(name, null) != null;
                case LIST, FILE -> control.exists(name);
            };
        }

        /** The effective value: a list of one for single values, the entries for lists, none for FILE. */
        List<String> of(String name) throws IOException {
            List<String> v = seen.get(name);
            if (v == null) {
                v = read(row(name).orElseThrow());
                seen.put(name, v);
            }
            return v;
        }

        String one(String name) throws IOException {
            return of(name).get(0);
        }

        private List<String> read(Row r) throws IOException {
            if (!present(r.name())) {
                return r.fallback().of(this);
            }
            return switch (r.shape()) {
                case LINE -> List.of(control.line(r.name(), null));
                case NUMBER -> List.of(Long.toString(control.number(r.name(), 0)));
                case LIST -> control.list(r.name());
                case FILE -> List.of(Files.size(control.dir().resolve(r.name())) + " bytes");
            };
        }
    }
}
