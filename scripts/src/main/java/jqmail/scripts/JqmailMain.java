package jqmail.scripts;

import java.nio.file.Path;
import jqmail.common.Home;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jqmail}: see this package's documentation. */
@Command(name = "jqmail", mixinStandardHelpOptions = true, version = "jqmail",
    description = "The front door of a jqmail installation.",
    subcommands = {SetupCommand.class, StartCommand.class, StopCommand.class, StatusCommand.class,
        QueueCommands.Qstat.class, QueueCommands.Qread.class, QueueAdminCommand.class, UserCommand.class,
        NewuCommand.class, NewaliasesCommand.class, SuperviseCommand.class, LoggerCommand.class, ServiceCommand.class, ShowctlCommand.class, LogCommand.class, StatsCommand.class,
        TcpokCommand.class})
public final class JqmailMain {
    /** Exit codes of the front door. */
    static final int OK = 0;
    /** {@code queue fsck} found problems and did not repair them all. */
    static final int PROBLEMS = 1;
    static final int NOT_RUNNING = 3;
    static final int USAGE = 100;
    static final int TROUBLE = 111;

    private JqmailMain() {
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new JqmailMain());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("jqmail: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return TROUBLE;
        });
        cl.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("jqmail: " + e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return USAGE;
        });
        System.exit(cl.execute(args));
    }

    /** {@code --home DIR}, shared by every subcommand. */
    static final class HomeOption {
        @Option(names = "--home", paramLabel = "DIR", description = "the home (default: $JQMAIL_HOME, else /var/jqmail)")
        String dir;

        Home home() {
            return Home.of(dir);
        }
    }

    /** Where the programs are: the launcher says, else the directory above this jar's lib/. */
    static Path dist() {
        String d = System.getProperty("jqmail.dist");
        if (d != null) {
            return Path.of(d);
        }
        try {
            Path jar = Path.of(JqmailMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().getParent();
        } catch (Exception e) {
            return Path.of("dist").toAbsolutePath();
        }
    }
}
