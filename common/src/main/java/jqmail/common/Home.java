package jqmail.common;

import java.nio.file.Path;

/**
 * The home of DESIGN §3: where every file of one jqmail instance lives.
 * Programs take it from {@code --home}, else {@code JQMAIL_HOME}, else
 * {@code /var/jqmail}.
 */
public record Home(Path root) {
    public static final String ENV = "JQMAIL_HOME";
    public static final Path DEFAULT = Path.of("/var/jqmail");

    public Home {
        root = root.toAbsolutePath().normalize();
    }

    /** The home named by {@code JQMAIL_HOME}, or the default. */
    public static Home fromEnvironment() {
        String env = System.getenv(ENV);
        return new Home(env == null || env.isEmpty() ? DEFAULT : Path.of(env));
    }

    /** {@code dir} when given, else {@link #fromEnvironment()}. */
    public static Home of(String dir) {
        return dir == null ? fromEnvironment() : new Home(Path.of(dir));
    }

    /**
     * A daemon's command line, {@code PROGRAM [--home DIR]}: the home it
     * names, else {@link #fromEnvironment()}. Anything else is a usage
     * error: one line on stderr and exit 100.
     */
    public static Home ofDaemonArguments(String program, String[] args) {
        String dir = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--home") && i + 1 < args.length) {
                dir = args[++i];
            } else {
                System.err.println(program + ": usage: " + program + " [--home DIR]");
                System.exit(100);
            }
        }
        return of(dir);
    }

    public Path bin() {
        return root.resolve("bin");
    }

    public Path control() {
        return root.resolve("control");
    }

    public Path users() {
        return root.resolve("users");
    }

    public Path alias() {
        return root.resolve("alias");
    }

    public Path vmail() {
        return root.resolve("vmail");
    }

    public Path queue() {
        return root.resolve("queue");
    }

    public Path run() {
        return root.resolve("run");
    }

    public Path log() {
        return root.resolve("log");
    }

    /** The queue daemon's injection socket (0666: anyone may submit). */
    public Path injectSocket() {
        return run().resolve("queue/inject.sock");
    }

    /** The queue daemon's cleaning socket: only the scheduler's uid is served. */
    public Path cleanSocket() {
        return run().resolve("queue/clean.sock");
    }

    /** The auth service's socket: tcpserver's SMTP AUTH and the POP3 front ask it. */
    public Path authSocket() {
        return run().resolve("auth/auth.sock");
    }

    /** The supervisor's pid files and state. */
    public Path pidDir() {
        return run().resolve("pid");
    }

    public Control controlFiles() {
        return new Control(control());
    }
}
