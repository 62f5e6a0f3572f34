package jqmail.queue.inject;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;
import jqmail.common.Home;
import jqmail.common.InjectResult;

/** {@code qmail-inject}: see this package's documentation. */
public final class QmailInjectMain {
    static final int EXIT_PERMANENT = 100;
    static final int EXIT_TEMP = 111;
    private static final String USAGE = "usage: qmail-inject [-nNaAhH] [-f sender] [address ...]";

    private QmailInjectMain() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(FileDescriptor.out), false);
        System.exit(run(args, Home.fromEnvironment(), System.getenv(), new FileInputStream(FileDescriptor.in), out,
            System.err));
    }

    static int run(String[] args, Home home, Map<String, String> env, InputStream in, OutputStream out,
                   PrintStream err) {
        Request r = new Request();
        int i = 0;
        for (; i < args.length && args[i].startsWith("-") && args[i].length() > 1; i++) {
            String a = args[i];
            if (a.equals("--")) {
                i++;
                break;
            }
            for (int k = 1; k < a.length(); k++) {
                switch (a.charAt(k)) {
                    case 'n' -> r.print = true;
                    case 'N' -> r.print = false;
                    case 'a' -> r.source = Request.Recipients.ARGS;
                    case 'A' -> r.source = Request.Recipients.ARGS_ELSE_HEADER;
                    case 'h' -> r.source = Request.Recipients.HEADER;
                    case 'H' -> r.source = Request.Recipients.BOTH;
                    case 'f' -> {
                        if (k + 1 < a.length()) {
                            r.sender = a.substring(k + 1);
                        } else if (i + 1 < args.length) {
                            r.sender = args[++i];
                        } else {
                            return fail(err, "option -f needs a sender");
                        }
                        k = a.length();
                    }
                    default -> {
                        return fail(err, "unknown option -" + a.charAt(k));
                    }
                }
            }
        }
        for (; i < args.length; i++) {
            r.args.add(args[i]);
        }
        try {
            InjectResult result = Submission.of(home, env, r).run(in, out);
            if (!result.ok()) {
                err.println("qmail-inject: fatal: " + result.text());
                return result.permanent() ? EXIT_PERMANENT : EXIT_TEMP;
            }
            return 0;
        } catch (Refusal e) {
            err.println("qmail-inject: fatal: " + e.getMessage());
            return e.kind == Refusal.Kind.TEMPORARY ? EXIT_TEMP : EXIT_PERMANENT;
        } catch (IOException e) {
            err.println("qmail-inject: fatal: " + e.getMessage());
            return EXIT_TEMP;
        }
    }

    private static int fail(PrintStream err, String why) {
        err.println("qmail-inject: " + why + "; " + USAGE);
        return EXIT_PERMANENT;
    }
}
