package jqmail.common.smtp;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import jqmail.common.Accounts;
import jqmail.common.Home;

/**
 * One SMTP session on stdin and stdout, configured from the environment
 * (TCPREMOTEIP, RELAYCLIENT, DATABYTES, QMAILQUEUE ...): qmail-smtpd's whole
 * job, and sendmail -bs's.
 */
public final class StdioSession {
    private StdioSession() {
    }

    /** Runs the session to its end; returns the exit code (0, or 1 when the controls are unreadable). */
    public static int run(String program, Home home, Map<String, String> env) {
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        // stdout is the SMTP stream: nothing else may ever be printed to it.
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        SmtpSettings settings;
        Accounts accounts;
        try {
            settings = SmtpSettings.read(home.controlFiles(), env.get("DATABYTES"));
            accounts = Accounts.load(home);
        } catch (IOException e) {
            System.err.println(program + ": unable to read controls: " + e.getMessage());
            say(out, Reply.CONTROL_TROUBLE);
            return 1;
        }
        Watchdogs.Watchdog watchdog = new Watchdogs().watchdog(new Timeout(out));
        SmtpIo io = new SmtpIo(new FileInputStream(FileDescriptor.in), out, watchdog,
            settings.timeoutSeconds() * 1000, settings.sessionByteCap());
        new SmtpSession(home, settings, accounts, SmtpSession.Client.of(env), io).run();
        return 0;
    }

    /** A read from stdin cannot be interrupted: on timeout, say so and end the process (qmail's alarm). */
    private static final class Timeout implements Runnable {
        private final OutputStream out;

        Timeout(OutputStream out) {
            this.out = out;
        }

        @Override
        public void run() {
            say(out, Reply.TIMEOUT);
            Runtime.getRuntime().halt(0);
        }
    }

    private static void say(OutputStream out, Reply r) {
        try {
            out.write(r.format().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            // The client is gone.
        }
    }
}
