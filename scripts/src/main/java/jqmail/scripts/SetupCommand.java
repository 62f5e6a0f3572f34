package jqmail.scripts;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import jqmail.common.Home;
import jqmail.common.Identities;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "setup", description = "Create or repair a home: directories, owners, modes, users/ids.")
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

    @Option(names = "--remove", description = "with --system: delete a system home that holds no mail, then its users"
        + " and groups (root only)")
    boolean remove;

    @Override
    public Integer call() throws Exception {
        Home h = home.home();
        if (remove) {
            if (!system) {
                System.err.println("jqmail: --remove goes with --system");
                return JqmailMain.USAGE;
            }
            String why = new Removal(h).run();
            if (why != null) {
                System.err.println("jqmail: not removing " + h.root() + ": " + why);
                return JqmailMain.TROUBLE;
            }
            System.out.println("jqmail: removed " + h.root() + " and its users and groups");
            return JqmailMain.OK;
        }
        if (me != null && (me.isEmpty() || !me.matches("[A-Za-z0-9.\\-\\[\\]:]+"))) {
            System.err.println("jqmail: --me: not a host name: " + me);
            return JqmailMain.USAGE;
        }
        if ((!accounts.isEmpty() || group != null) && !system) {
            System.err.println("jqmail: --account and --group go with --system");
            return JqmailMain.USAGE;
        }
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
                return JqmailMain.USAGE;
            }
            names.put(role, e.getValue());
        }
        if (group != null && !group.matches("[a-z_][a-z0-9_-]{0,31}")) {
            System.err.println("jqmail: --group: not a group name: " + group);
            return JqmailMain.USAGE;
        }
        Identities ids = new Setup(h, JqmailMain.dist()).names(names, group).run(me, system);
        System.out.println("jqmail: " + h.root() + " is set up ("
            + (ids.isSystem() ? "system home" : "user mode: every program runs as "
            + ids.account(Identities.Role.QUEUE).name()) + ")");
        return JqmailMain.OK;
    }
}
