package jqmail.scripts;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import jqmail.queue.inspect.InspectMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jqmail qstat} and {@code jqmail qread}: qmail-qstat and qmail-qread with --home and --json. */
final class QueueCommands {
    private QueueCommands() {
    }

    abstract static class Listing implements Callable<Integer> {
        @Mixin
        JqmailMain.HomeOption home = new JqmailMain.HomeOption();

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        int run(String program, boolean stat) {
            List<String> args = new ArrayList<>(List.of("--home", home.home().root().toString()));
            if (json) {
                args.add("--json");
            } else if (stat) {
                args.add("--shape");
            }
            return InspectMain.run(program, args.toArray(new String[0]), stat, System.out, System.err);
        }
    }

    @Command(name = "qstat", description = "Count the messages in the queue (qmail-qstat), with their ages by domain (qshape).")
    static final class Qstat extends Listing {
        @Override
        public Integer call() {
            return run("jqmail qstat", true);
        }
    }

    @Command(name = "qread", description = "List the messages in the queue with their recipients (qmail-qread).")
    static final class Qread extends Listing {
        @Override
        public Integer call() {
            return run("jqmail qread", false);
        }
    }
}
