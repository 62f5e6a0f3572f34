package jqmail.smtpd.qmailsmtpd;

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
import jqmail.common.smtp.Reply;
import jqmail.common.smtp.SmtpIo;
import jqmail.common.smtp.SmtpSession;
import jqmail.common.smtp.SmtpSettings;
import jqmail.common.smtp.Watchdogs;

/** {@code qmail-smtpd}: see this package's documentation. */
public final class QmailSmtpdMain {
    private QmailSmtpdMain() {
    }

    public static void main(String[] args) {
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        // stdout is the SMTP stream: nothing else may ever be printed to it.
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        Map<String, String> env = System.getenv();
        Home home = Home.fromEnvironment();
        SmtpSettings settings;
        Accounts accounts;
        try {
            settings = SmtpSettings.read(home.controlFiles(), env.get("DATABYTES"));
            accounts = Accounts.load(home);
        } catch (IOException e) {
            System.err.println("qmail-smtpd: unable to read controls: " + e.getMessage());
            say(out, Reply.CONTROL_TROUBLE);
            System.exit(1);
            return;
        }
        Watchdogs.Watchdog watchdog = new Watchdogs().watchdog(new Timeout(out));
        SmtpIo io = new SmtpIo(new FileInputStream(FileDescriptor.in), out, watchdog,
            settings.timeoutSeconds() * 1000, settings.sessionByteCap());
        new SmtpSession(home, settings, accounts, SmtpSession.Client.of(env), io).run();
        System.exit(0);
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
