package jqmail.scripts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The built programs in dist/, run as real processes the way users and scripts run them. */
final class Dist {
    /** A finished program: its exit code and what it printed. */
    record Result(int code, String stdout, String stderr) {
        List<String> errLines() {
            return stderr.isEmpty() ? List.of() : List.of(stderr.split("\n"));
        }
    }

    private Dist() {
    }

    static Path dir() {
        String d = System.getProperty("jqmail.dist");
        Path p = d != null ? Path.of(d) : Path.of("..", "dist");
        return p.toAbsolutePath().normalize();
    }

    static Path bin(String program) {
        return dir().resolve("bin").resolve(program);
    }

    /** Runs a program with stdin from {@code stdin} (or /dev/null) and the given environment additions. */
    static Result run(Path home, byte[] stdin, Map<String, String> env, String program, String... args)
        throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(bin(program).toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (home != null) {
            pb.environment().put("JQMAIL_HOME", home.toString());
        }
        pb.environment().putAll(env);
        return finish(pb, stdin, 120);
    }

    static Result run(Path home, String program, String... args) throws IOException, InterruptedException {
        return run(home, null, Map.of(), program, args);
    }

    /**
     * qmail-queue as qmail's callers run it: the message on fd 0 and the
     * envelope on fd 1, both readable files.
     */
    static Process startQmailQueue(Path home, Path message, Path envelope, Path stderr) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "exec \"$0\" <\"$1\" 1<\"$2\"",
            bin("qmail-queue").toString(), message.toString(), envelope.toString());
        pb.environment().put("JQMAIL_HOME", home.toString());
        pb.redirectError(stderr.toFile());
        return pb.start();
    }

    static Result qmailQueue(Path home, byte[] message, byte[] envelope) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("qq");
        try {
            Path m = Files.write(dir.resolve("m"), message);
            Path e = Files.write(dir.resolve("e"), envelope);
            Path err = dir.resolve("err");
            Process p = startQmailQueue(home, m, e, err);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("qmail-queue hung");
            }
            return new Result(p.exitValue(), "", Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    /** Runs {@code pb} to its end with {@code stdin} (null: /dev/null), its output captured, within {@code seconds}. */
    static Result finish(ProcessBuilder pb, byte[] stdin, int seconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("out", "");
        Path err = Files.createTempFile("err", "");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            Process p = pb.start();
            if (stdin != null) {
                try (var o = p.getOutputStream()) {
                    o.write(stdin);
                }
            }
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(pb.command() + " hung");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
