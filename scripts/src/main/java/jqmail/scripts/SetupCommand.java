package jqmail.scripts;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jqmail.common.Home;
import jqmail.common.Identities;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "setup", description = "Create or repair a home: directories, owners, modes, users/ids; where root's mail"
    + " goes; in a system home, /etc/aliases compiled and /var/qmail for qmail's tools.")
final class SetupCommand implements Callable<Integer> {
    @Mixin
    JqmailMain.HomeOption home = new JqmailMain.HomeOption();

    @Option(names = "--me", paramLabel = "NAME", description = "this host's mail name (control/me); default: the host name")
    String me;

    @Option(names = "--system", description = "a system home: create the users of DESIGN §2 and give each its part (root only)")
    boolean system;

    @Option(names = "--account", paramLabel = "ROLE=NAME", description = "with --system: another name for a role's"
        + " account (roles: smtpd queue send remote auth log vmail alias); default: DESIGN §2's (jqmaild ...)")
    Map<String, String> accounts = new LinkedHashMap<>();

    @Option(names = "--group", paramLabel = "NAME", description = "with --system: the queue's group; default: jqmail")
    String group;

    @Option(names = "--remove", description = "with --system: delete a system home that holds no mail, the /var/qmail"
        + " --qmail-compat made for it, then the users and groups setup made for it (root only)")
    boolean remove;

    @Option(names = "--root-mail", paramLabel = "ADDRESS", description = "where mail for root (and for postmaster"
        + " and mailer-daemon where they follow root) goes: user@domain, a local name, or " + RootMail.ALIAS_MAILDIR + " for the alias user's"
        + " Maildir; written to /etc/aliases (system home, then compiled) or alias/.qmail-root (user mode)."
        + " Without it, setup asks when run on a terminal; otherwise root's mail stays where it goes")
    String rootMail;

    @Option(names = "--qmail-compat", description = "with --system: make /var/qmail (bin, control, alias, users; no"
        + " queue) point at this home, for tools that hard-code qmail's paths; refused when /var/qmail is not jqmail's")
    boolean qmailCompat;

    @Override
    public Integer call() throws Exception {
        Home h = home.home();
        if (remove) {
            return remove(h);
        }
        if (me != null && (me.isEmpty() || !me.matches("[A-Za-z0-9.\\-\\[\\]:]+"))) {
            System.err.println("jqmail: --me: not a host name: " + me);
            return JqmailMain.USAGE;
        }
        if ((!accounts.isEmpty() || group != null) && !system) {
            System.err.println("jqmail: --account and --group go with --system");
            return JqmailMain.USAGE;
        }
        Map<Identities.Role, String> names = accountNames();
        if (names == null) {
            return JqmailMain.USAGE;
        }
        if (group != null && !group.matches("[a-z_][a-z0-9_-]{0,31}")) {
            System.err.println("jqmail: --group: not a group name: " + group);
            return JqmailMain.USAGE;
        }
        if (qmailCompat && !system) {
            System.err.println("jqmail: --qmail-compat goes with --system");
            return JqmailMain.USAGE;
        }
        String refused = qmailCompat ? new QmailCompat(h).refusal() : null;
        if (refused != null) {
            System.err.println("jqmail: --qmail-compat: " + refused);
            return JqmailMain.TROUBLE;
        }
        String mailName = me != null ? me : h.controlFiles().me();
        String answer = rootMail != null ? rootMail : interactive() ? ask(h) : null;
        RootMail root = null;
        if (answer != null) {
            try {
                root = RootMail.parse(answer, mailName);
            } catch (RootMail.Invalid e) {
                System.err.println("jqmail: --root-mail: " + e.getMessage() + ": " + RootMail.printable(answer));
                return JqmailMain.USAGE;
            }
        }
        Identities ids = new Setup(h, JqmailMain.dist()).names(names, group).rootMail(root).qmailCompat(qmailCompat)
            .run(me, system);
        System.out.println("jqmail: " + h.root() + " is set up ("
            + (ids.isSystem() ? "system home" : "user mode: every program runs as "
            + ids.account(Identities.Role.QUEUE).name()) + ")");
        return JqmailMain.OK;
    }

    /** The --account options as roles and names; null, after one line on stderr, for one that is neither. */
    private Map<Identities.Role, String> accountNames() {
        Map<Identities.Role, String> names = new EnumMap<>(Identities.Role.class);
        for (Map.Entry<String, String> e : accounts.entrySet()) {
            Identities.Role role = null;
            for (Identities.Role r : Identities.Role.values()) {
                if (r.key().equals(e.getKey())) {
                    role = r;
                }
            }
            if (role == null || !e.getValue().matches("[a-z_][a-z0-9_-]{0,31}")) {
                System.err.println("jqmail: --account: not ROLE=NAME with a role and a user name: " + e.getKey() + "="
                    + e.getValue());
                return null;
            }
            names.put(role, e.getValue());
        }
        return names;
    }

    private int remove(Home h) throws Exception {
        if (!system || rootMail != null || qmailCompat) {
            System.err.println("jqmail: --remove goes with --system alone");
            return JqmailMain.USAGE;
        }
        QmailCompat compat = new QmailCompat(h);
        boolean withCompat = compat.ours();
        String why = new Removal(h).run();
        if (why != null) {
            System.err.println("jqmail: not removing " + h.root() + ": " + why);
            return JqmailMain.TROUBLE;
        }
        System.out.println("jqmail: removed " + h.root() + (withCompat ? ", " + compat.dir() : "")
            + " and its users and groups");
        return JqmailMain.OK;
    }

    /** A person at a terminal, who can answer a question; scripts and package installs get none. */
    private static boolean interactive() {
        POSIX posix = POSIXFactory.getNativePOSIX();
        return posix.isatty(FileDescriptor.in) && posix.isatty(FileDescriptor.out);
    }

    /**
     * The question Debian's MTA packages ask at install ("Root and
     * postmaster mail recipient"), asked once: the answer, or null to keep
     * what there is.
     */
    private String ask(Home h) throws IOException {
        System.out.println("Mail for root goes to "
            + RootMail.describe(h, Setup.aliasesFile(), system) + ".");
        System.out.print("Send it to (user@domain, a login name, " + RootMail.ALIAS_MAILDIR
            + " for the alias user's Maildir; Enter keeps it): ");
        System.out.flush();
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return line == null || line.strip().isEmpty() ? null : line.strip();
    }
}
