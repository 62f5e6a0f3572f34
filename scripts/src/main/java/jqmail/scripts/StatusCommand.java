package jqmail.scripts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import jqmail.common.Home;
import jqmail.remote.route.DownedHosts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status", description = "Show the supervisor and each daemon: up or down, pid, uptime, ready.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    JqmailMain.HomeOption home = new JqmailMain.HomeOption();

    @Override
    public Integer call() {
        Home h = home.home();
        boolean allUp = line(h, Daemons.SUPERVISOR, null);
        for (Daemons.Spec s : Daemons.all(h)) {
            allUp &= line(h, s.name(), s);
        }
        downedHosts(h);
        return allUp ? JqmailMain.OK : JqmailMain.NOT_RUNNING;
    }

    /** qmail-rspawn's table of hosts skipped after timeouts (saved every ten seconds). */
    private static void downedHosts(Home h) {
        Path f = h.run().resolve("rspawn/tcpto");
        if (!Files.exists(f)) {
            return;
        }
        try {
            for (String d : DownedHosts.load(f, Clock.systemUTC()).describe()) {
                System.out.println("down: " + d);
            }
        } catch (IOException e) {
            System.out.println("down: unable to read " + f + ": " + e.getMessage());
        }
    }

    private static boolean line(Home h, String name, Daemons.Spec spec) {
        PidFile f = spec == null ? new PidFile(h, name) : PidFile.of(h, spec);
        Optional<ProcessHandle> p = f.live();
        if (p.isEmpty()) {
            System.out.println(name + ": down");
            return false;
        }
        String ready = spec == null ? "" : spec.probe().ready() ? ", ready" : ", not ready";
        System.out.println(name + ": up (pid " + p.get().pid() + ") " + f.age().toSeconds() + " seconds" + ready);
        return true;
    }
}
