package jqmail.scripts;

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
        Identities ids = new Setup(h, JqmailMain.dist()).run(me, system);
        System.out.println("jqmail: " + h.root() + " is set up ("
            + (ids.isSystem() ? "system home" : "user mode: every program runs as "
            + ids.account(Identities.Role.QUEUE).name()) + ")");
        return JqmailMain.OK;
    }
}
