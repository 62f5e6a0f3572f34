package jqmail.scripts;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import jqmail.common.Home;
import jqmail.common.Identities;
import jqmail.common.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jqmail queue fsck [--repair] [--json]}: see this package's documentation. */
@Command(name = "fsck", description = "Check the queue's consistency (qmail-send stopped); --repair puts it right.")
final class FsckCommand implements Callable<Integer> {
    @Mixin
    JqmailMain.HomeOption home = new JqmailMain.HomeOption();

    @Option(names = "--repair", description = "repair what is found; a message that may be delivered is never removed")
    boolean repair;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Override
    public Integer call() {
        Home h = home.home();
        String busy = schedulerRunning(h);
        if (busy != null) {
            System.err.println("jqmail: queue fsck: " + busy + "; stop it first (jqmail stop --home " + h.root() + ")");
            return JqmailMain.TROUBLE;
        }
        QueueFsck.Report r;
        try {
            r = new QueueFsck(h, Identities.read(h), repair, Instant.now()).run();
        } catch (IOException e) {
            System.err.println("jqmail: queue fsck: unable to check " + h.root() + ": " + e.getMessage());
            return JqmailMain.TROUBLE;
        }
        System.out.print(json ? json(r) : text(r));
        if (!r.complete()) {
            System.err.println("jqmail: queue fsck: some of the queue could not be checked (see above)");
        }
        return r.exitCode();
    }

    /**
     * Why fsck must not run now, or null. The scheduler's memory of the queue
     * would disagree with what fsck changes, and it writes the very state fsck
     * judges; a running supervisor would restart it at any moment. The queue
     * daemon may run: fsck never touches what it is writing.
     */
    static String schedulerRunning(Home h) {
        Optional<ProcessHandle> sup = new PidFile(h, Daemons.SUPERVISOR).live();
        if (sup.isPresent()) {
            return "the supervisor is running (pid " + sup.get().pid() + ") and would restart qmail-send";
        }
        Optional<ProcessHandle> send = new PidFile(h, Daemons.SCHEDULER).live();
        if (send.isPresent()) {
            return "qmail-send is running (pid " + send.get().pid() + ")";
        }
        if (Daemons.accepts(h.run().resolve("send/control.sock"))) {
            return "qmail-send is running (it answers on run/send/control.sock)";
        }
        return null;
    }

    /** One line per problem: {@code fsck: SUBJECT: PROBLEM[: repaired (WHAT)]}. */
    static String text(QueueFsck.Report r) {
        StringBuilder b = new StringBuilder();
        for (QueueFsck.Finding f : r.findings()) {
            b.append("fsck: ").append(f.subject()).append(": ").append(f.problem());
            if (f.repaired()) {
                b.append(": repaired (").append(f.done()).append(')');
            } else if (f.error() != null) {
                b.append(": not repaired (").append(f.error()).append(')');
            }
            b.append('\n');
        }
        return b.toString();
    }

    static String json(QueueFsck.Report r) {
        Json j = new Json().beginObject().field("complete", r.complete()).name("findings").beginArray();
        for (QueueFsck.Finding f : r.findings()) {
            j.beginObject().field("subject", f.subject()).field("problem", f.problem()).field("repair", f.action())
                .field("repaired", f.repaired()).field("done", f.done()).field("error", f.error()).endObject();
        }
        return j.endArray().field("exit", r.exitCode()).endObject() + "\n";
    }
}
