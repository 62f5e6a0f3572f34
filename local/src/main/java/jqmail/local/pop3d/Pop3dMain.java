package jqmail.local.pop3d;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import jqmail.common.Home;
import jqmail.common.smtp.Watchdogs;

/** {@code qmail-pop3d}: see this package's documentation. */
public final class Pop3dMain {
    static final int USAGE = 100;
    /** qmail-pop3d's idle limit, seconds. */
    static final long DEFAULT_TIMEOUT = 1200;

    private Pop3dMain() {
    }

    public static void main(String[] args) {
        if (args.length != 1 || args[0].isEmpty()) {
            System.err.println("qmail-pop3d: usage: qmail-pop3d maildir");
            System.exit(USAGE);
        }
        System.exit(run(Path.of(args[0])));
    }

    /** The session on stdin and stdout; returns the exit code. */
    static int run(Path maildir) {
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        // stdout is the client's stream: nothing else may ever be printed to it.
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        long timeout;
        Mailbox box;
        try {
            timeout = timeoutSeconds();
        } catch (IOException e) {
            return trouble(stdout, Reply.NO_CONTROL, "unable to read controls: " + reason(e));
        }
        try {
            box = Mailbox.open(maildir);
        } catch (IOException e) {
            return trouble(stdout, Reply.NO_MAILDIR, "unable to read the maildir " + maildir + ": " + reason(e));
        }
        // A read of stdin cannot be interrupted: an idle client is told, and the process ends (qmail's alarm).
        Watchdogs.Watchdog idle = new Watchdogs().watchdog(() -> {
            say(stdout, Reply.TIMEOUT);
            Runtime.getRuntime().halt(Pop3Session.EXIT_DONE);
        });
        return new Pop3Session(box, new FileInputStream(FileDescriptor.in), stdout, idle, timeout * 1000).run();
    }

    /** control/timeoutpop3d of the home in JQMAIL_HOME; qmail's 1200 s without one. */
    static long timeoutSeconds() throws IOException {
        if (System.getenv(Home.ENV) == null) {
            return DEFAULT_TIMEOUT;
        }
        long t = Home.fromEnvironment().controlFiles().number("timeoutpop3d", DEFAULT_TIMEOUT);
        return Math.max(1, Math.min(t, Integer.MAX_VALUE / 1000));
    }

    private static int trouble(OutputStream stdout, Reply r, String why) {
        System.err.println("qmail-pop3d: " + why);
        say(stdout, r);
        return Pop3Session.EXIT_TEMPORARY;
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no " + e.getMessage();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + e.getMessage();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private static void say(OutputStream out, Reply r) {
        try {
            out.write((r.text + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // The client is gone.
        }
    }
}
