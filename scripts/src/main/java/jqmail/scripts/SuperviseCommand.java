package jqmail.scripts;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "supervise", hidden = true, description = "Run the supervisor (jqmail start does this).")
final class SuperviseCommand implements Callable<Integer> {
    @Mixin
    JqmailMain.HomeOption home = new JqmailMain.HomeOption();

    @Mixin
    ListenOptions listen = new ListenOptions();

    @Override
    public Integer call() throws Exception {
        return new Supervisor(home.home(), JqmailMain.dist(), false, listen.listeners()).run();
    }
}
