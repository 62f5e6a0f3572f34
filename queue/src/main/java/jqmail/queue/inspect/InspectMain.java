package jqmail.queue.inspect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
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

    /**
     * The scheduler's answer on its control socket, or null when no scheduler
     * answers (then root and the queue's owner read the directories).
     */
    static String askScheduler(Home home, String request) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(home.run().resolve("send/control.sock")));
            ch.write(ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (ch.read(buf) >= 0) {
                buf.flip();
                b.write(buf.array(), 0, buf.limit());
                buf.clear();
            }
            String s = b.toString(StandardCharsets.UTF_8);
            return s.startsWith("ok\n") ? s.substring(3) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Both programs; returns the exit code (0, 100 usage, 111 trouble). */
    public static int run(String program, String[] args, boolean stat, PrintStream out, PrintStream err) {
        boolean json = false;
        String home = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--json")) {
                json = true;
            } else if (args[i].equals("--home") && i + 1 < args.length) {
                home = args[++i];
            } else {
                err.println(program + ": usage: " + program + " [--home DIR] [--json]");
                return 100;
            }
        }
        Home h = Home.of(home);
        String fromScheduler = askScheduler(h, (stat ? "qstat" : "qread") + (json ? " json" : ""));
        if (fromScheduler != null) {
            byte[] b = fromScheduler.getBytes(StandardCharsets.UTF_8);
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
        String text = stat ? (json ? l.qstatJson() : l.qstat()) : (json ? l.qreadJson() : l.qread());
        out.write(text.getBytes(StandardCharsets.UTF_8), 0, text.getBytes(StandardCharsets.UTF_8).length);
        out.flush();
        return 0;
    }
}
