package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jqmail.common.InjectClient;
import jqmail.common.InjectResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 1, seen in the system calls: for every acknowledged message the
 * queue daemon fsynced the file before renaming it into todo/, and an fsync
 * of todo/ that began after the rename finished before the reply was
 * written. A SIGKILL test cannot see a missing fsync; this can.
 */
class DurabilityOrderIT {
    static final int MESSAGES = 200;
    static final Pattern CALL = Pattern.compile("^(\\d+) +(\\w+)\\((.*)");
    static final Pattern RESUMED = Pattern.compile("^(\\d+) +<\\.\\.\\. (\\w+) resumed>(.*)");
    static final Pattern RESULT = Pattern.compile("\\) += (-?\\d+)");

    @TempDir
    Path dir;

    /** One system call: the line numbers where it began and ended, its first argument and result. */
    record Call(String name, String args, int start, int end, long result) {
    }

    @Test
    void everyAcknowledgedMessageWasFsyncedThenRenamedThenItsDirectoryFsyncedBeforeTheReply() throws Exception {
        assumeTrue(SetupIT.run("strace", "-V") == 0, "strace is installed by scripts/deps test");
        TestHome home = new TestHome(dir.resolve("home"));
        home.control("queueminfree", "0");
        Path trace = dir.resolve("trace");
        Process daemon = new ProcessBuilder("strace", "-f", "-qq", "-s", "96", "-o", trace.toString(),
            "-e", "trace=openat,close,fsync,fdatasync,rename,renameat,renameat2,write",
            Dist.bin("qmail-queued").toString(), "--home", home.dir.toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile()).start();
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 1200 && !Daemons.accepts(home.home.injectSocket()); i++) {
                Thread.sleep(25);
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<InjectResult>> results = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                int n = i;
                results.add(pool.submit(() -> inject(home, n)));
            }
            for (Future<InjectResult> f : results) {
                InjectResult r = f.get();
                assertEquals(0, r.code(), r.text());
                ids.add(r.text().substring(3));
            }
            pool.shutdown();
        } finally {
            // TERM the traced daemon itself; strace exits when its child does.
            daemon.descendants().forEach(ProcessHandle::destroy);
            daemon.waitFor();
        }
        List<Call> calls = parse(Files.readAllLines(trace, StandardCharsets.UTF_8));
        // A descriptor is free once close() begins and taken once openat() returns: order the
        // calls that way, so a number reused by another thread is never mistaken for the old file.
        calls.sort(java.util.Comparator.comparingInt(c -> c.name().equals("close") ? c.start() : c.end()));
        String tmp = home.queue.tmp() + "/";
        String todo = home.queue.todo().toString();
        Map<Long, String> fdPath = new HashMap<>();
        Map<String, Integer> fileSynced = new HashMap<>();
        Map<String, Call> renamed = new HashMap<>();
        List<Call> todoSyncs = new ArrayList<>();
        Map<String, Integer> replied = new HashMap<>();
        for (Call c : calls) {
            switch (c.name()) {
                case "openat" -> {
                    Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(c.args());
                    if (m.find() && c.result() >= 0) {
                        fdPath.put(c.result(), m.group(1));
                    }
                }
                case "close" -> fdPath.remove(firstNumber(c.args()));
                case "fsync", "fdatasync" -> {
                    String p = fdPath.get(firstNumber(c.args()));
                    if (p != null && p.startsWith(tmp) && c.result() == 0) {
                        fileSynced.put(p.substring(tmp.length()), c.end());
                    } else if (todo.equals(p) && c.result() == 0) {
                        todoSyncs.add(c);
                    }
                }
                case "rename", "renameat", "renameat2" -> {
                    Matcher m = Pattern.compile("\"" + Pattern.quote(tmp) + "(\\d+)\"").matcher(c.args());
                    if (m.find() && c.result() == 0) {
                        renamed.put(m.group(1), c);
                    }
                }
                case "write" -> {
                    Matcher m = Pattern.compile("\"0 ok (\\d+)\\\\n\"").matcher(c.args());
                    if (m.find()) {
                        replied.put(m.group(1), c.start());
                    }
                }
                default -> { }
            }
        }
        for (String id : ids) {
            Integer synced = fileSynced.get(id);
            Call rename = renamed.get(id);
            Integer reply = replied.get(id);
            assertNotNull(synced, "fsync of tmp/" + id);
            assertNotNull(rename, "rename of tmp/" + id);
            assertNotNull(reply, "reply for " + id);
            assertTrue(synced < rename.start(), id + ": file fsynced before the rename");
            boolean dirSynced = false;
            for (Call s : todoSyncs) {
                dirSynced |= s.start() > rename.end() && s.end() < reply;
            }
            assertTrue(dirSynced, id + ": todo/ fsynced after the rename and before the reply");
        }
        double perMessage = (fileSynced.size() + todoSyncs.size()) / (double) ids.size();
        System.out.printf("durability order: %d messages, %d file fsyncs, %d todo/ fsyncs (%.2f per message)%n",
            ids.size(), fileSynced.size(), todoSyncs.size(), perMessage);
        assertEquals(ids.size(), fileSynced.size(), "one fsync per message file");
        assertTrue(todoSyncs.size() <= ids.size(), "never more than one todo/ fsync per message");
    }

    private static InjectResult inject(TestHome home, int n) throws IOException {
        try (InjectClient c = InjectClient.connect(home.home.injectSocket())) {
            c.message().write(("Subject: " + n + "\n\nbody " + n + "\n").getBytes(StandardCharsets.US_ASCII));
            c.envelope("Fa@b\0Tc@d\0\0".getBytes(StandardCharsets.US_ASCII));
            return c.commit();
        }
    }

    private static long firstNumber(String args) {
        Matcher m = Pattern.compile("^(\\d+)").matcher(args);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** strace -f output into calls, joining "unfinished" and "resumed" halves per thread. */
    static List<Call> parse(List<String> lines) {
        List<Call> out = new ArrayList<>();
        Map<String, Object[]> open = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher r = RESUMED.matcher(line);
            if (r.find()) {
                Object[] o = open.remove(r.group(1));
                if (o != null) {
                    out.add(new Call(r.group(2), (String) o[1] + r.group(3), (Integer) o[0], i, result(line)));
                }
                continue;
            }
            Matcher c = CALL.matcher(line);
            if (!c.find()) {
                continue;
            }
            if (line.endsWith("<unfinished ...>")) {
                open.put(c.group(1), new Object[] {i, c.group(3)});
            } else {
                out.add(new Call(c.group(2), c.group(3), i, i, result(line)));
            }
        }
        return out;
    }

    private static long result(String line) {
        Matcher m = RESULT.matcher(line);
        long v = Long.MIN_VALUE;
        while (m.find()) {
            v = Long.parseLong(m.group(1));
        }
        return v;
    }
}
