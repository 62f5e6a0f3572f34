package jqmail.scripts;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import jqmail.common.Home;
import jqmail.common.Identities;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "start", description = "Start the daemons under the supervisor; returns once they accept work.")
final class StartCommand implements Callable<Integer> {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    @Mixin
    JqmailMain.HomeOption home = new JqmailMain.HomeOption();

    @Option(names = "--foreground", description = "run the daemons in this process, without restarts (systemd, svscan)")
    boolean foreground;

    @Mixin
    ListenOptions listen = new ListenOptions();

    @Override
    public Integer call() throws Exception {
        Home h = home.home();
        Identities ids = Identities.read(h);
        if (listen.smtp == null) {
            listen.smtp = h.controlFiles().line("smtplisten", ids.isSystem() ? "0:25" : "127.0.0.1:2525");
        }
        // The others listen only where asked, on the command line or, for systemd and svscan, in control.
        if (listen.submission == null) {
            listen.submission = h.controlFiles().line("submissionlisten", null);
        }
        if (listen.smtps == null) {
            listen.smtps = h.controlFiles().line("smtpslisten", null);
        }
        if (listen.pop3 == null) {
            listen.pop3 = h.controlFiles().line("pop3listen", null);
        }
        if (listen.pop3s == null) {
            listen.pop3s = h.controlFiles().line("pop3slisten", null);
        }
        Listeners listeners = listen.listeners();
        String invalid = listeners.invalid();
        if (invalid != null) {
            System.err.println("jqmail: " + invalid);
            return JqmailMain.USAGE;
        }
        if (foreground) {
            return new Supervisor(h, JqmailMain.dist(), true, listeners).run();
        }
        if (new PidFile(h, Daemons.SUPERVISOR).live().isPresent()) {
            return awaitReady(h, null) ? JqmailMain.OK : JqmailMain.TROUBLE;
        }
        Files.deleteIfExists(Daemons.listenFile(h));
        // What the supervisor says before its logger runs (or of the logger itself); the logs are the logger's.
        Path out = h.pidDir().resolve(Daemons.SUPERVISOR + ".out");
        Files.createDirectories(out.getParent());
        List<String> command = new ArrayList<>(List.of("setsid", JqmailMain.dist().resolve("bin/jqmail").toString(),
            "supervise", "--home", h.root().toString()));
        command.addAll(listeners.options());
        Process p = new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
            .redirectErrorStream(true)
            .start();
        if (!awaitReady(h, p)) {
            System.err.println("jqmail: the daemons did not become ready; see " + h.log() + " and " + out);
            return JqmailMain.TROUBLE;
        }
        System.out.println("jqmail: started " + h.root());
        return JqmailMain.OK;
    }

    /** Waits until every daemon accepts work; false on timeout or when the new supervisor died. */
    static boolean awaitReady(Home h, Process supervisor) throws InterruptedException {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (supervisor != null && !supervisor.isAlive()) {
                return false;
            }
            boolean all = Listeners.read(h) != null;
            for (Daemons.Spec s : Daemons.all(h)) {
                all &= PidFile.of(h, s).live().isPresent() && s.probe().ready();
            }
            if (all) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }
}
