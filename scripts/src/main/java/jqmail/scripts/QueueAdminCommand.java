package jqmail.scripts;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import jqmail.common.Home;
import jqmail.queue.inspect.ControlClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code jqmail queue}: the administrator's verbs, asked of the running
 * scheduler over its control socket, which decides by the caller's uid
 * what the caller may touch (DESIGN §5).
 */
@Command(name = "queue", description = "Hold, release, delete or retry queued messages; check the queue.",
    subcommands = {QueueAdminCommand.Hold.class, QueueAdminCommand.Release.class, QueueAdminCommand.Delete.class,
        QueueAdminCommand.Requeue.class, FsckCommand.class})
final class QueueAdminCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return JqmailMain.USAGE;
    }

    /** The ids or --all, and the request they become. */
    abstract static class Verb implements Callable<Integer> {
        @Mixin
        JqmailMain.HomeOption home = new JqmailMain.HomeOption();

        @Option(names = "--all", description = "every message (yours only, unless you are root or the queue's owner)")
        boolean all;

        @Parameters(paramLabel = "ID", description = "queue ids, as qmail-qread shows them after #")
        List<String> ids = new ArrayList<>();

        abstract String verb();

        int ask() {
            if (all == !ids.isEmpty()) {
                System.err.println("jqmail queue " + verb() + ": name the messages (ID ...) or --all, not both");
                return JqmailMain.USAGE;
            }
            Home h = home.home();
            int code = JqmailMain.OK;
            for (String id : all ? List.of("all") : ids) {
                ControlClient.Answer a = ControlClient.ask(h, verb() + " " + id);
                if (a == null) {
                    System.err.println("jqmail queue " + verb() + ": qmail-send is not running for " + h.root()
                        + " (start it with jqmail start)");
                    return JqmailMain.NOT_RUNNING;
                }
                (a.ok() ? System.out : System.err).print((a.ok() ? "" : "jqmail queue " + verb() + ": ") + a.text());
                if (!a.ok()) {
                    code = JqmailMain.PROBLEMS;   // a message not found, or not the caller's
                }
            }
            return code;
        }

        @Override
        public Integer call() {
            return ask();
        }
    }

    @Command(name = "hold", description = "Keep messages from being delivered until released (postsuper -h).")
    static final class Hold extends Verb {
        @Override
        String verb() {
            return "hold";
        }
    }

    @Command(name = "release", description = "Let held messages be delivered now (postsuper -H).")
    static final class Release extends Verb {
        @Override
        String verb() {
            return "release";
        }
    }

    @Command(name = "requeue", description = "Retry messages now instead of at their next scheduled attempt.")
    static final class Requeue extends Verb {
        @Override
        String verb() {
            return "requeue";
        }
    }

    @Command(name = "delete", description = "Remove messages without delivering or bouncing them (postsuper -d).")
    static final class Delete extends Verb {
        @Option(names = "--yes", description = "confirm: the messages are gone for good")
        boolean yes;

        @Override
        String verb() {
            return "delete";
        }

        @Override
        public Integer call() {
            if (!yes) {
                System.err.println("jqmail queue delete: deleted mail cannot be recovered; add --yes to confirm");
                return JqmailMain.USAGE;
            }
            return ask();
        }
    }
}
