package jqmail.scripts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import jqmail.common.Home;

/**
 * {@code run/pid/NAME.pid}: the pid of a supervised program. A pid is
 * believed only if {@code /proc/PID/cmdline} still names the program and
 * this home, so a recycled pid is never mistaken for the daemon.
 */
final class PidFile {
    private final Home home;
    private final String name;
    private final String program;

    PidFile(Home home, String name) {
        this(home, name, name);
    }

    /** A daemon whose pid file and program have different names (tcpserver-submission runs tcpserver). */
    PidFile(Home home, String name, String program) {
        this.home = home;
        this.name = name;
        this.program = program;
    }

    static PidFile of(Home home, Daemons.Spec s) {
        return new PidFile(home, s.name(), s.program());
    }

    Path path() {
        return home.pidDir().resolve(name + ".pid");
    }

    void write(long pid) throws IOException {
        Path tmp = path().resolveSibling("." + name + ".pid.tmp");
        Files.writeString(tmp, pid + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, path(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    void delete() {
        try {
            Files.deleteIfExists(path());
        } catch (IOException e) {
            // A stale pid file is checked against /proc before it is believed.
        }
    }

    /** The live process this file names, if it is still our program for our home. */
    Optional<ProcessHandle> live() {
        long pid;
        try {
            pid = Long.parseLong(Files.readString(path(), StandardCharsets.US_ASCII).strip());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive() || !isOurs(pid)) {
            return Optional.empty();
        }
        return h;
    }

    /** How long ago the pid file was written. */
    Duration age() {
        try {
            return Duration.between(Files.getLastModifiedTime(path()).toInstant(), Instant.now());
        } catch (IOException e) {
            return Duration.ZERO;
        }
    }

    private boolean isOurs(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
            String[] words = new String(raw, StandardCharsets.UTF_8).split("\0");
            boolean named = false;
            boolean homed = false;
            for (String w : words) {
                // The supervisor is "jqmail supervise", or "jqmail start --foreground" doing its job.
                named |= w.equals(program) || w.endsWith("/" + program)
                    || name.equals(Daemons.SUPERVISOR) && w.equals("--foreground");
                homed |= w.equals(home.root().toString());
            }
            return named && homed;
        } catch (IOException e) {
            return false;
        }
    }
}
