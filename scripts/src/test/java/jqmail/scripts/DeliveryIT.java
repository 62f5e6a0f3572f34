package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SMTP in, Maildir out: the whole system as real processes. */
class DeliveryIT {
    @TempDir
    Path dir;

    SmtpHome system(String name) throws Exception {
        Path d = dir.resolve(name);
        TestHome pre = new TestHome(d);
        pre.control("concurrencyincomingip", "200");
        Dist.Result u = Dist.run(null, "jqmail", "user", "add", "--home", d.toString(), "carol");
        assertEquals(0, u.code(), u.stderr());
        return new SmtpHome(d, SmtpHome.RULES);
    }

    static Path maildir(SmtpHome s) {
        return s.home.home.vmail().resolve("test.example/carol/Maildir");
    }

    void awaitEmptyQueue(SmtpHome s, int minutes) throws Exception {
        long deadline = System.nanoTime() + minutes * 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            Dist.Result q = Dist.run(s.home.dir, "qmail-qstat");
            if (q.stdout().startsWith("messages in queue: 0\n")) {
                return;
            }
            // qmail's "retry now", so deferred deliveries do not wait out their schedule.
            InjectErrorsIT.run("kill", "-ALRM", Long.toString(pid(s, "qmail-send")));
            Thread.sleep(1000);
        }
        throw new AssertionError("queue not empty: " + Dist.run(s.home.dir, "qmail-qstat").stdout()
            + Dist.run(s.home.dir, "qmail-qread").stdout() + history(s));
    }

    /** What the logs say of each message still in the queue, for a failure's message. */
    static String history(SmtpHome s) throws Exception {
        StringBuilder b = new StringBuilder();
        for (var e : s.home.queue.walk()) {
            b.append("\n").append(e.file()).append(":\n");
            for (String d : new String[] {"qmail-queued", "qmail-send"}) {
                try (var logs = java.nio.file.Files.list(s.home.home.log().resolve(d))) {
                    for (java.nio.file.Path log : (Iterable<java.nio.file.Path>) logs.sorted()::iterator) {
                        for (String line : java.nio.file.Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
                            if (line.contains(e.id().toString())) {
                                b.append("  ").append(d).append(": ").append(line).append("\n");
                            }
                        }
                    }
                }
            }
        }
        return b.toString();
    }

    static long pid(SmtpHome s, String name) throws Exception {
        return s.home.pid(name);
    }


    @Test
    void smtplibMessageLandsByteExactInAVirtualUsersMaildir() throws Exception {
        try (SmtpHome s = system("home")) {
            String script = """
                import smtplib, sys
                msg = 'From: a@example.org\\r\\nTo: carol@test.example\\r\\nSubject: hello\\r\\n\\r\\nline one\\r\\n.starts with a dot\\r\\nh\\xe9llo 8-bit\\r\\n'
                with smtplib.SMTP('127.0.0.1', int(sys.argv[1])) as s:
                    s.ehlo('client.example')
                    s.sendmail('a@example.org', ['carol@test.example'], msg.encode('latin-1'))
                """;
            Path py = Files.writeString(dir.resolve("one.py"), script);
            assertEquals(0, new ProcessBuilder("python3", py.toString(), Integer.toString(s.port)).inheritIO().start().waitFor());
            awaitEmptyQueue(s, 1);
            List<Path> files = new ArrayList<>();
            try (var st = Files.list(maildir(s).resolve("new"))) {
                st.forEach(files::add);
            }
            assertEquals(1, files.size());
            String m = Files.readString(files.get(0), StandardCharsets.ISO_8859_1);
            assertTrue(m.matches("Return-Path: <a@example\\.org>\n"
                + "Delivered-To: carol@test\\.example\n"
                + "Received: \\(qmail \\d+ invoked by uid \\d+\\); [^\n]+ -0000\n"
                + "Received: from unknown \\(HELO client\\.example\\) \\(127\\.0\\.0\\.1\\)\n"
                + "  by test\\.example with ESMTP; [^\n]+ -0000\n"
                + "From: a@example\\.org\nTo: carol@test\\.example\nSubject: hello\n\nline one\n"
                + "\\.starts with a dot\nh\u00e9llo 8-bit\n"), m);
        }
    }

    @Test
    void fiveThousandMessagesFromTwentySessionsAreEachDeliveredOnce() throws Exception {
        try (SmtpHome s = system("home")) {
            Set<Integer> acked = Sender.send(dir, s.port, "carol@test.example", 1, 5000, 20);
            assertEquals(5000, acked.size());
            awaitEmptyQueue(s, 5);
            Map<Integer, Integer> got = Sender.delivered(maildir(s));
            assertEquals(5000, got.size(), "every message delivered");
            assertTrue(got.values().stream().allMatch(c -> c == 1), "none twice");
            String log = Files.readString(s.home.home.log().resolve("qmail-send/current"), StandardCharsets.ISO_8859_1);
            assertEquals(List.of(), log.lines().filter(l -> l.contains(": deferral: ") || l.contains(" alert: "))
                .limit(5).toList(), "on a healthy system no delivery waits for a retry, and nothing alarms");
        }
    }

    /**
     * SIGKILL the scheduler, the queue daemon and the local deliverer at
     * random instants while 2,000 messages come in; the supervisor restarts
     * them. No acknowledged message is lost; duplicates can only come from a
     * crash between a delivery and its checkpoint, and are counted.
     */
    @Test
    void killedDaemonsLoseNothing() throws Exception {
        try (SmtpHome s = system("home")) {
            AtomicBoolean sending = new AtomicBoolean(true);
            Random r = new Random(4);
            List<String> kills = new ArrayList<>();
            Thread killer = new Thread(() -> {
                String[] victims = {"qmail-send", "qmail-queued", "qmail-lspawn", "qmail-send", "qmail-lspawn",
                    "qmail-queued"};
                try {
                    for (String v : victims) {
                        Thread.sleep(400 + r.nextInt(1000));
                        if (!sending.get()) {
                            return;
                        }
                        long pid = pid(s, v);
                        InjectErrorsIT.run("kill", "-KILL", Long.toString(pid));
                        if (v.equals("qmail-lspawn")) {
                            InjectErrorsIT.run("pkill", "-KILL", "-f", "qmail-local .*--worker");
                        }
                        kills.add(v);
                    }
                } catch (Exception e) {
                    kills.add("killer failed: " + e);
                }
            });
            killer.start();
            Set<Integer> acked = Sender.send(dir, s.port, "carol@test.example", 1, 2000, 20);
            sending.set(false);
            killer.join();
            awaitEmptyQueue(s, 8);
            Map<Integer, Integer> got = Sender.delivered(maildir(s));
            List<Integer> lost = new ArrayList<>();
            for (int t : acked) {
                if (!got.containsKey(t)) {
                    lost.add(t);
                }
            }
            long duplicates = got.values().stream().filter(c -> c > 1).count();
            System.out.printf("delivery crash test: kills %s; %d acknowledged, %d delivered, %d delivered more than once%n",
                kills, acked.size(), got.size(), duplicates);
            assertEquals(List.of(), lost, "no acknowledged message lost");
            assertEquals(2000, acked.size(), "every message was eventually accepted");
            assertTrue(kills.size() >= 4, "the daemons were killed: " + kills);
        }
    }
}
