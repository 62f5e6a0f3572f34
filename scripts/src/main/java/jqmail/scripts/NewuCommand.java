package jqmail.scripts;

import java.nio.file.Files;
import java.util.concurrent.Callable;
import jqmail.common.Home;
import jqmail.local.users.Assign;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code jqmail newu}: qmail-newu, users/assign into users/cdb. */
@Command(name = "newu", description = "Compile users/assign into users/cdb (qmail-newu).")
final class NewuCommand implements Callable<Integer> {
    @Mixin
    JqmailMain.HomeOption home = new JqmailMain.HomeOption();

    @Override
    public Integer call() throws Exception {
        Home h = home.home();
        if (!Files.exists(h.users().resolve("assign"))) {
            System.err.println("jqmail: no " + h.users().resolve("assign"));
            return JqmailMain.TROUBLE;
        }
        Assign.compile(h.users().resolve("assign"), h.users().resolve("cdb"));
        return JqmailMain.OK;
    }
}
