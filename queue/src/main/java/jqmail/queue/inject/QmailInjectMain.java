package jqmail.queue.inject;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import jqmail.common.Address;
import jqmail.common.Home;
import jqmail.common.InjectResult;
import jqmail.common.InvalidAddressException;

/** {@code qmail-inject}: see this package's documentation. */
public final class QmailInjectMain {
    static final int EXIT_USAGE = 100;
    static final int EXIT_TEMP = 111;

    private QmailInjectMain() {
    }

    public static void main(String[] args) throws IOException {
        System.exit(run(args, Home.fromEnvironment(), new FileInputStream(FileDescriptor.in), System.out, System.err));
    }

    static int run(String[] args, Home home, InputStream in, PrintStream out, PrintStream err) throws IOException {
        String sender = null;
        boolean print = false;
        List<Address> rcpts = new ArrayList<>();
        try {
            int i = 0;
            for (; i < args.length && args[i].startsWith("-") && !args[i].equals("--"); i++) {
                String a = args[i];
                if (a.equals("-n")) {
                    print = true;
                } else if (a.equals("-a")) {
                    // Recipients from the arguments: the only mode so far.
                } else if (a.startsWith("-f")) {
                    String v = a.length() > 2 ? a.substring(2) : (++i < args.length ? args[i] : null);
                    if (v == null) {
                        return usage(err);
                    }
                    sender = v;
                } else {
                    return usage(err);
                }
            }
            if (i < args.length && args[i].equals("--")) {
                i++;
            }
            for (; i < args.length; i++) {
                rcpts.add(new Address(args[i]));
            }
            if (rcpts.isEmpty()) {
                return usage(err);
            }
            Submission s = new Submission(home, sender == null ? null : new Address(sender), rcpts);
            if (print) {
                s.print(in, out);
                return 0;
            }
            InjectResult r = s.submit(in);
            if (!r.ok()) {
                err.println("qmail-inject: fatal: " + r.text());
                return r.permanent() ? EXIT_USAGE : EXIT_TEMP;
            }
            return 0;
        } catch (InvalidAddressException e) {
            err.println("qmail-inject: fatal: " + e.getMessage());
            return EXIT_USAGE;
        }
    }

    private static int usage(PrintStream err) {
        err.println("qmail-inject: usage: qmail-inject [-n] [-a] [-f sender] address ...");
        return EXIT_USAGE;
    }

    static boolean homeExists(Home home) {
        return Files.isDirectory(home.root());
    }
}
