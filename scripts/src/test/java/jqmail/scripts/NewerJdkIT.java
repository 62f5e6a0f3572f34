package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bytecode 17 runs on every newer JDK installed here (Temurin 25 on this
 * machine): the daemon with jnr, the front door with picocli and the lean
 * qmail-queue, with no JVM warning in their output.
 */
class NewerJdkIT {
    @TempDir
    Path dir;

    static List<Path> newerJdks() throws Exception {
        List<Path> out = new ArrayList<>();
        try (var s = Files.list(Path.of("/usr/lib/jvm"))) {
            for (Path jdk : (Iterable<Path>) s::iterator) {
                Path release = jdk.resolve("release");
                if (Files.isSymbolicLink(jdk) || !Files.exists(release) || !Files.isExecutable(jdk.resolve("bin/java"))) {
                    continue;
                }
                String v = Files.readString(release).replaceAll("(?s).*JAVA_VERSION=\"(\\d+).*", "$1");
                if (v.matches("\\d+") && Integer.parseInt(v) > 17) {
                    out.add(jdk);
                }
            }
        }
        return out;
    }

    @Test
    void theSuiteRunsOnNewerJdks() throws Exception {
        List<Path> jdks = newerJdks();
        assumeFalse(jdks.isEmpty(), "no JDK newer than 17 installed");
        for (Path jdk : jdks) {
            Map<String, String> env = Map.of("JQMAIL_JAVA", jdk.resolve("bin/java").toString());
            Path home = dir.resolve(jdk.getFileName().toString());
            Dist.Result setup = Dist.run(null, null, env, "jqmail", "setup", "--home", home.toString());
            assertEquals(0, setup.code(), jdk + ": " + setup.stderr());
            assertEquals("", setup.stderr(), jdk + ": no JVM warnings");
            Dist.Result start = Dist.run(null, null, env, "jqmail", "start", "--home", home.toString(), "--smtp", "none");
            assertEquals(0, start.code(), jdk + ": " + start.stderr());
            try {
                Dist.Result q = Dist.run(home, "Subject: x\n\ny\n".getBytes(StandardCharsets.US_ASCII), env,
                    "qmail-inject", "someone@example.org");
                assertEquals(0, q.code(), jdk + ": " + q.stderr());
                assertEquals("", q.stderr());
                // Picked up from the maildrop at once; the remote recipient then waits (no remote channel here).
                Dist.Result stat = Dist.run(home, null, env, "qmail-qstat");
                for (int i = 0; i < 100 && !stat.stdout().startsWith("messages in queue: 1\n"); i++) {
                    Thread.sleep(100);
                    stat = Dist.run(home, null, env, "qmail-qstat");
                }
                assertTrue(stat.stdout().startsWith("messages in queue: 1\n"), jdk + ": " + stat.stdout());
                String log = Files.readString(home.resolve("log/qmail-queued/current"));
                assertFalse(log.toLowerCase(java.util.Locale.ROOT).contains("warning"), jdk + ": " + log);
            } finally {
                Dist.run(null, null, env, "jqmail", "stop", "--home", home.toString());
            }
        }
    }
}
