package jqmail.scripts;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import jqmail.common.Home;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "stop", description = "Stop the supervisor and every daemon; returns once they have exited.")
final class StopCommand implements Callable<Integer> {
    @Mixin
    JqmailMain.HomeOption home = new JqmailMain.HomeOption();

    @Override
    public Integer call() throws Exception {
        Home h = home.home();
        Optional<ProcessHandle> sup = new PidFile(h, Daemons.SUPERVISOR).live();
        if (sup.isEmpty()) {
            System.out.println("jqmail: not running");
            return JqmailMain.OK;
        }
        sup.get().destroy();
        Duration wait = Supervisor.STOP_GRACE.plusSeconds(10);
        try {
            sup.get().onExit().get(wait.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            System.err.println("jqmail: the supervisor did not stop in " + wait.toSeconds() + " s");
            return JqmailMain.TROUBLE;
        }
        for (Daemons.Spec s : Daemons.all(h)) {
            Optional<ProcessHandle> d = PidFile.of(h, s).live();
            if (d.isPresent()) {
                d.get().destroyForcibly();
                d.get().onExit().get(10, TimeUnit.SECONDS);
                PidFile.of(h, s).delete();
            }
        }
        System.out.println("jqmail: stopped " + h.root());
        return JqmailMain.OK;
    }
}
