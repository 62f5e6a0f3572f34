package jqmail.scripts;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import jqmail.common.Home;
import jqmail.common.Identities;

/**
 * The small supervisor of DESIGN §10 (daemontools' {@code supervise} for
 * every daemon at once): starts each daemon, copies its output into its log
 * directory with TAI64N stamps, and restarts it when it dies, after a delay
 * that doubles from 1 s up to a minute while it keeps dying young. SIGTERM
 * stops every daemon (TERM, then KILL after {@link #STOP_GRACE}) and exits.
 *
 * <p>With {@code foreground}, for systemd or svscan, nothing is restarted:
 * output goes to stderr prefixed with the daemon's name, and the first
 * daemon to die stops the rest, so the outer supervisor sees the failure.
 */
final class Supervisor {
    static final Duration STOP_GRACE = Duration.ofSeconds(20);
    /** How long SMTP waits, at the start, for the queue to take messages. */
    static final Duration QUEUE_WAIT = Duration.ofSeconds(30);
    private static final Duration HEALTHY = Duration.ofSeconds(60);
    private static final long MAX_DELAY_MS = 60_000;

    private final Home home;
    private final Path dist;
    private final boolean foreground;
    private final Listeners listeners;
    private Identities ids;
    private final Map<String, Child> children = new LinkedHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "restart");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile int exitCode;
    private LoggerProcess logger;

    /** A supervised daemon and its current process. */
    private static final class Child {
        final Daemons.Spec spec;
        Process process;
        Instant started;
        long delayMs = 1000;

        Child(Daemons.Spec spec) {
            this.spec = spec;
        }
    }

    Supervisor(Home home, Path dist, boolean foreground, Listeners listeners) {
        this.home = home;
        this.dist = dist;
        this.foreground = foreground;
        this.listeners = listeners;
    }

    /** Runs until stopped; returns the exit code. */
    int run() throws IOException {
        FileLock lock = lock();
        if (lock == null) {
            System.err.println("jqmail: a supervisor already runs for " + home.root());
            return 0;
        }
        ids = Identities.read(home);
        logger = foreground ? null : new LoggerProcess(Privileges.command(home, ids, dist,
            new Daemons.Spec("jqmail", Identities.Role.LOG, List.of("logger", "--home", home.root().toString()), null)));
        PidFile self = new PidFile(home, Daemons.SUPERVISOR);
        self.write(ProcessHandle.current().pid());
        Daemons.writeListeners(home, listeners);
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "stop"));
        for (Daemons.Spec s : Daemons.all(home, listeners)) {
            stopStale(s);
            if (s.program().equals(Daemons.TCPSERVER) || s.name().equals(Daemons.SCHEDULER)) {
                awaitQueue(s.name());
            }
            synchronized (this) {   // a SIGTERM meanwhile stops what was started, and nothing starts after it
                if (stopping) {
                    break;
                }
                Child c = new Child(s);
                children.put(s.name(), c);
                start(c);
            }
        }
        try {
            finished.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return exitCode;
    }

    /**
     * The scheduler and SMTP start once the queue daemon serves its sockets:
     * a client that connects at once is not told 451 after its DATA, and
     * the scheduler's first finished messages are removed at once, not
     * after qmail's two-minute pause for a missing cleaner. After
     * {@link #QUEUE_WAIT} they start anyway; the supervisor's log says why.
     */
    private void awaitQueue(String name) {
        Daemons.Spec queue = children.get("qmail-queued").spec;
        Instant deadline = Instant.now().plus(QUEUE_WAIT);
        try {
            while (!stopping && !queue.probe().ready()) {
                if (Instant.now().isAfter(deadline)) {
                    say("qmail-queued is not ready after " + QUEUE_WAIT.toSeconds() + " s; starting " + name + " anyway");
                    return;
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private FileLock lock() throws IOException {
        FileChannel ch = FileChannel.open(home.pidDir().resolve(Daemons.SUPERVISOR + ".lock"),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l = ch.tryLock();
        if (l == null) {
            ch.close();
        }
        return l;
    }

    /** A daemon left running by a supervisor that was killed: stop it before starting a fresh one. */
    private void stopStale(Daemons.Spec s) {
        Optional<ProcessHandle> old = PidFile.of(home, s).live();
        if (old.isEmpty()) {
            return;
        }
        say("stopping " + s.name() + " pid " + old.get().pid() + " left from an earlier supervisor");
        old.get().destroy();
        try {
            old.get().onExit().get(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            old.get().destroyForcibly();
        }
    }

    private synchronized void start(Child c) {
        if (stopping) {
            return;
        }
        try {
            Daemons.prepare(home, c.spec);
        } catch (IOException e) {
            say("unable to prepare " + c.spec.name() + ": " + e.getMessage());
            scheduleRestart(c);
            return;
        }
        List<String> command;
        try {
            command = Privileges.command(home, ids, dist, c.spec);
        } catch (IOException e) {
            say("unable to start " + c.spec.name() + ": " + e.getMessage());
            scheduleRestart(c);
            return;
        }
        ProcessBuilder pb = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put(Home.ENV, home.root().toString());
        try {
            c.process = pb.start();
        } catch (IOException e) {
            say("unable to start " + c.spec.name() + ": " + e.getMessage());
            scheduleRestart(c);
            return;
        }
        c.started = Instant.now();
        try {
            PidFile.of(home, c.spec).write(c.process.pid());
        } catch (IOException e) {
            say("unable to write the pid file of " + c.spec.name() + ": " + e.getMessage());
        }
        say("started " + c.spec.name() + " pid " + c.process.pid());
        Process p = c.process;
        Thread reader = new Thread(() -> copyOutput(c.spec.name(), p), "log-" + c.spec.name());
        reader.setDaemon(true);
        reader.start();
        p.onExit().thenAccept(done -> exited(c, done));
    }

    /** A daemon's output, line by line, to the logger (to stderr in the foreground). */
    private void copyOutput(String name, Process p) {
        try {
            BoundedLines in = new BoundedLines(p.getInputStream(), LoggerCommand.MAX_LINE);
            for (String line; (line = in.next()) != null; ) {
                if (logger != null) {
                    logger.line(name, line);
                } else {
                    System.err.println(name + ": " + line);
                }
            }
        } catch (IOException e) {
            if (!stopping) {
                say("lost the output of " + name + ": " + e.getMessage());
            }
        }
    }

    private synchronized void exited(Child c, Process p) {
        if (stopping || c.process != p) {
            return;
        }
        say(c.spec.name() + " pid " + p.pid() + " exited with status " + p.exitValue());
        PidFile.of(home, c.spec).delete();
        if (foreground) {
            exitCode = 111;
            new Thread(() -> {
                stopAll();
                finished.countDown();
            }, "stop").start();
            return;
        }
        if (Duration.between(c.started, Instant.now()).compareTo(HEALTHY) >= 0) {
            c.delayMs = 1000;
        }
        scheduleRestart(c);
    }

    private void scheduleRestart(Child c) {
        long delay = c.delayMs;
        c.delayMs = Math.min(MAX_DELAY_MS, c.delayMs * 2);
        say("restarting " + c.spec.name() + " in " + delay + " ms");
        timer.schedule(() -> start(c), delay, TimeUnit.MILLISECONDS);
    }

    /** Stops every daemon and waits for them: TERM, then KILL after the grace period. */
    void stopAll() {
        List<Child> all;
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            all = new ArrayList<>(children.values());
        }
        timer.shutdownNow();
        for (Child c : all) {
            if (c.process != null && c.process.isAlive()) {
                c.process.destroy();
            }
        }
        Instant deadline = Instant.now().plus(STOP_GRACE);
        for (Child c : all) {
            if (c.process == null) {
                continue;
            }
            try {
                long left = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
                if (!c.process.waitFor(left, TimeUnit.MILLISECONDS)) {
                    say(c.spec.name() + " did not stop in " + STOP_GRACE.toSeconds() + " s; killing it");
                    c.process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            PidFile.of(home, c.spec).delete();
        }
        say("stopped");
        if (logger != null) {
            logger.close();
        }
        new PidFile(home, Daemons.SUPERVISOR).delete();
        try {
            java.nio.file.Files.deleteIfExists(Daemons.listenFile(home));
        } catch (IOException e) {
            // A stale file only names an address; the pid files decide what runs.
        }
        finished.countDown();
    }

    private void say(String line) {
        if (logger != null) {
            logger.line(Daemons.SUPERVISOR, line);
        } else {
            System.err.println("supervise: " + line);
        }
    }
}
