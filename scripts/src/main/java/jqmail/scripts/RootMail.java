package jqmail.scripts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import jqmail.common.Home;
import jqmail.common.Printable;

/**
 * Where mail for root goes ({@code jqmail setup --root-mail}), and so mail
 * for postmaster and mailer-daemon where they follow root: an address
 * {@code user@domain}, a local name, or {@link #ALIAS_MAILDIR}, the alias
 * user's own Maildir (setup's default). Only plain addresses: a program,
 * a file, a list or an :include: is the administrator's to write into
 * /etc/aliases or alias/.qmail-root by hand.
 *
 * @param address the address or local name; null for the alias Maildir
 */
record RootMail(String address) {
    /** qmail's own spelling of "the Maildir in the alias user's home", as alias/.qmail-root holds it. */
    static final String ALIAS_MAILDIR = "./Maildir/";

    /** The names that follow root; mail for root going to one of them on this host would come back. */
    private static final List<String> ROOTS = List.of("root", "postmaster", "mailer-daemon");

    private static final Pattern LOCAL = Pattern.compile("[A-Za-z0-9_!$%&'*+=?^`{}~][A-Za-z0-9_!$%&'*+=?^`{}~.-]*");
    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
        + "(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

    /** A value that is not an ADDRESS; the message says why in a few words. */
    static final class Invalid extends Exception {
        Invalid(String why) {
            super(why);
        }
    }

    /** {@code value} checked: {@code me} is this host's mail name, so that root@me is refused as a loop. */
    static RootMail parse(String value, String me) throws Invalid {
        if (value.equals(ALIAS_MAILDIR)) {
            return new RootMail(null);
        }
        if (value.isEmpty()) {
            throw new Invalid("empty");
        }
        if (value.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new Invalid("white space, a newline or another control or non-ASCII character");
        }
        if (value.contains("|")) {
            throw new Invalid("a program (|command) is not an address; write it into the aliases file yourself");
        }
        if (value.contains("/")) {
            throw new Invalid("a file or directory is not an address (" + ALIAS_MAILDIR
                + " alone means the alias user's Maildir)");
        }
        int at = value.lastIndexOf('@');
        String local = at < 0 ? value : value.substring(0, at);
        String domain = at < 0 ? null : value.substring(at + 1);
        if (!LOCAL.matcher(local).matches() || (domain != null && !DOMAIN.matcher(domain).matches())) {
            throw new Invalid("not user@domain nor a local name");
        }
        if (ROOTS.contains(local.toLowerCase(Locale.ROOT)) && (domain == null || domain.equalsIgnoreCase(me))) {
            throw new Invalid("mail for root would come back to " + local + "; " + ALIAS_MAILDIR
                + " means the alias user's Maildir");
        }
        return new RootMail(value);
    }

    /** {@code value} as it may be printed on one line: control characters and non-ASCII become {@code _}. */
    static String printable(String value) {
        return Printable.line(value, '_', Integer.MAX_VALUE);
    }

    boolean aliasMaildir() {
        return address == null;
    }

    /** The line of a .qmail file: a forward, a bare local name made an address of {@code me}. */
    String dotQmail(String me) {
        if (address == null) {
            return ALIAS_MAILDIR + "\n";
        }
        return "&" + (address.indexOf('@') < 0 ? address + "@" + me : address) + "\n";
    }

    @Override
    public String toString() {
        return address == null ? ALIAS_MAILDIR : address;
    }

    /**
     * A user-mode home: alias/.qmail-root gets the new line, and so do
     * alias/.qmail-postmaster and .qmail-mailer-daemon where they hold what
     * .qmail-root held (setup writes all three alike: they follow root
     * until an administrator gives one a line of its own).
     */
    void writeDotQmail(Home home, String me) throws IOException {
        Path root = home.alias().resolve(".qmail-root");
        String before = Files.exists(root) ? Files.readString(root) : null;
        String line = dotQmail(me);
        for (String name : new String[] {"postmaster", "mailer-daemon"}) {
            Path q = home.alias().resolve(".qmail-" + name);
            if (before != null && Files.exists(q) && Files.readString(q).equals(before)) {
                Setup.writeAtomically(q, line, 0644);
            }
        }
        Setup.writeAtomically(root, line, 0644);
    }

    /**
     * A system home: root's entry of the aliases file, which qmail-lspawn
     * consults before alias/, set to the address, or removed for the alias
     * Maildir (alias/.qmail-root then decides, and is set to the Maildir).
     * A missing file is made with Debian's content first.
     */
    void writeAliases(Home home, Path aliases) throws IOException {
        String text = Files.exists(aliases) ? EtcAliases.read(aliases) : EtcAliases.DEBIAN_DEFAULT;
        String next = EtcAliases.withRoot(text, address);
        if (!next.equals(text) || !Files.exists(aliases)) {
            EtcAliases.write(aliases, next);
        }
        if (address == null) {
            Setup.writeAtomically(home.alias().resolve(".qmail-root"), dotQmail(null), 0644);
        }
    }

    /** What mail for root does now, in a few words, for the question setup asks. */
    static String describe(Home home, Path aliases, boolean system) throws IOException {
        if (system && Files.exists(aliases)) {
            String r = EtcAliases.root(EtcAliases.read(aliases));
            if (r != null) {
                return printable(r) + " (" + aliases + ")";
            }
        }
        Path q = home.alias().resolve(".qmail-root");
        if (!Files.exists(q)) {
            return ALIAS_MAILDIR + " (setup's default: " + home.alias().resolve("Maildir") + ")";
        }
        return printable(Files.readString(q).strip().replace('\n', ' ')) + " (" + q + ")";
    }
}
