package jqmail.scripts;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Python's smtplib as a load of real SMTP clients: THREADS threads send
 * messages numbered FIRST..LAST, each with an X-Token header, and retry a
 * message after any temporary failure or lost connection until it gets 250.
 * The tokens acknowledged with 250 are written one per line.
 */
final class Sender {
    static final String SCRIPT = """
        import smtplib, sys, threading, time
        port, rcpt, first, last, threads, out = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
        lock = threading.Lock()
        nxt = [first]
        acked = open(out, 'w')
        def worker():
            while True:
                with lock:
                    n = nxt[0]; nxt[0] += 1
                if n > last:
                    return
                msg = 'Subject: message %d\\r\\nX-Token: %d\\r\\n\\r\\n' % (n, n) + ('body of %d\\r\\n' % n) * 60
                for attempt in range(600):
                    try:
                        with smtplib.SMTP('127.0.0.1', port, timeout=60) as s:
                            s.sendmail('load@example.org', [rcpt], msg)
                        with lock:
                            acked.write('%d\\n' % n); acked.flush()
                        break
                    except smtplib.SMTPRecipientsRefused as e:
                        print('recipient refused for %d: %s' % (n, e), flush=True)
                        break
                    except (smtplib.SMTPException, OSError) as e:
                        code = getattr(e, 'smtp_code', 0)
                        if 500 <= code < 600 and not isinstance(e, smtplib.SMTPServerDisconnected):
                            print('permanent failure for %d: %s' % (n, e), flush=True)
                            break
                        time.sleep(0.2)
        ts = [threading.Thread(target=worker) for _ in range(threads)]
        [t.start() for t in ts]
        [t.join() for t in ts]
        """;

    private Sender() {
    }

    /** Runs the load; returns the acknowledged tokens. */
    static Set<Integer> send(Path dir, int port, String rcpt, int first, int last, int threads) throws Exception {
        Path script = Files.writeString(dir.resolve("sender.py"), SCRIPT);
        Path acked = dir.resolve("acked-" + first + ".txt");
        Process p = new ProcessBuilder("python3", script.toString(), Integer.toString(port), rcpt, Integer.toString(first),
            Integer.toString(last), Integer.toString(threads), acked.toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("sender-" + first + ".log").toFile()).start();
        if (p.waitFor() != 0) {
            throw new AssertionError("sender failed: " + Files.readString(dir.resolve("sender-" + first + ".log")));
        }
        Set<Integer> out = new HashSet<>();
        for (String l : Files.readAllLines(acked, StandardCharsets.US_ASCII)) {
            out.add(Integer.parseInt(l.strip()));
        }
        return out;
    }

    /** How often each token is in the Maildir's new/ (a missing token is absent from the map). */
    static java.util.Map<Integer, Integer> delivered(Path maildir) throws Exception {
        java.util.Map<Integer, Integer> count = new java.util.HashMap<>();
        try (var s = Files.list(maildir.resolve("new"))) {
            for (Path f : (Iterable<Path>) s::iterator) {
                for (String line : Files.readAllLines(f, StandardCharsets.ISO_8859_1)) {
                    if (line.startsWith("X-Token: ")) {
                        count.merge(Integer.parseInt(line.substring(9).strip()), 1, Integer::sum);
                        break;
                    }
                    if (line.isEmpty()) {
                        break;
                    }
                }
            }
        }
        return count;
    }

}
