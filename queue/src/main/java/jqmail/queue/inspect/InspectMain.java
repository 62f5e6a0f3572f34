package jqmail.queue.inspect;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import jqmail.common.Home;

/** {@code qmail-qstat} and {@code qmail-qread}: see this package's documentation. */
public final class InspectMain {
    private InspectMain() {
    }

    /** qmail-qstat [--json] */
    public static final class Qstat {
        private Qstat() {
        }

        public static void main(String[] args) {
            System.exit(run("qmail-qstat", args, true, System.out, System.err));
        }
    }

    /** qmail-qread [--json] */
    public static final class Qread {
        private Qread() {
        }

        public static void main(String[] args) {
            System.exit(run("qmail-qread", args, false, System.out, System.err));
        }
    }

    /** Both programs; returns the exit code (0, 100 usage, 111 trouble). */
    public static int run(String program, String[] args, boolean stat, PrintStream out, PrintStream err) {
        boolean json = false;
        boolean shape = false;
        String home = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--json")) {
                json = true;
            } else if (args[i].equals("--shape") && stat) {
                shape = true;
            } else if (args[i].equals("--home") && i + 1 < args.length) {
                home = args[++i];
            } else {
                err.println(program + ": usage: " + program + " [--home DIR] [--json]" + (stat ? " [--shape]" : ""));
                return 100;
            }
        }
        Home h = Home.of(home);
        ControlClient.Answer fromScheduler =
            ControlClient.ask(h, (stat ? "qstat" : "qread") + (json ? " json" : shape ? " shape" : ""));
        if (fromScheduler != null && fromScheduler.ok()) {
            byte[] b = fromScheduler.text().getBytes(StandardCharsets.UTF_8);
            out.write(b, 0, b.length);
            out.flush();
            return 0;
        }
        QueueListing l;
        try {
            l = QueueListing.read(h);
        } catch (NoSuchFileException e) {
            err.println(program + ": unable to read the queue: no " + e.getFile());
            return 111;
        } catch (IOException e) {
            err.println(program + ": unable to read the queue: " + e.getMessage());
            return 111;
        }
        Instant now = Instant.now();
        String text = stat ? (json ? l.qstatJson(now) : l.qstat() + (shape ? "\n" + l.qshape(now) : ""))
            : (json ? l.qreadJson() : l.qread());
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        out.flush();
        return 0;
    }
}
