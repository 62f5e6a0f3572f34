package jqmail.queue.sendmail;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jqmail.common.Home;
import jqmail.common.InjectResult;
import jqmail.common.smtp.StdioSession;
import jqmail.queue.inject.Refusal;
import jqmail.queue.inject.Request;
import jqmail.queue.inject.Submission;
import jqmail.queue.inspect.ControlClient;
import jqmail.queue.inspect.InspectMain;

/** {@code sendmail}, {@code mailq} and {@code newaliases}: see this package's documentation. */
public final class SendmailMain {
    /** sysexits.h. */
    static final int EX_OK = 0;
    static final int EX_USAGE = 64;
    static final int EX_DATAERR = 65;
    static final int EX_NOUSER = 67;
    static final int EX_UNAVAILABLE = 69;
    static final int EX_SOFTWARE = 70;
    static final int EX_TEMPFAIL = 75;

    /** Options that take a value, separate or attached, and are otherwise ignored (sendmail's and Postfix's). */
    private static final String IGNORED_WITH_VALUE = "BCdhLNpRVX";
    /** Options without a value that programs pass and sendmail users expect to be accepted. */
    private static final String IGNORED_FLAGS = "eEGiJmnUvx";

    private enum Mode { SEND, SMTP, LIST, FLUSH, NEWALIASES }

    private SendmailMain() {
    }

    public static void main(String[] args) {
        String name = System.getProperty("jqmail.program", "sendmail");
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        System.exit(run(name, args, Home.fromEnvironment(), System.getenv(), new FileInputStream(FileDescriptor.in),
            out, System.err));
    }

    static int run(String name, String[] args, Home home, Map<String, String> env, InputStream in, OutputStream out,
                   PrintStream err) {
        Mode mode = name.equals("mailq") ? Mode.LIST : name.equals("newaliases") ? Mode.NEWALIASES : Mode.SEND;
        Request r = new Request();
        r.source = Request.Recipients.ARGS;
        r.senderIsAuthor = true;
        boolean verbose = false;
        String aliasFile = null;
        int i = 0;
        for (; i < args.length && args[i].startsWith("-") && args[i].length() > 1; i++) {
            String a = args[i];
            if (a.equals("--")) {
                i++;
                break;
            }
            char c = a.charAt(1);
            String attached = a.substring(2);
            if (c == 'f' || c == 'r' || c == 'F' || IGNORED_WITH_VALUE.indexOf(c) >= 0) {
                String v = attached;
                if (v.isEmpty()) {
                    if (i + 1 >= args.length) {
                        return usage(err, "option -" + c + " needs a value");
                    }
                    v = args[++i];
                }
                if (c == 'f' || c == 'r') {
                    r.sender = v;
                } else if (c == 'F') {
                    r.fullName = v;
                }
                continue;
            }
            switch (c) {
                case 't' -> r.source = Request.Recipients.BOTH;
                case 'b' -> {
                    switch (attached) {
                        case "m" -> mode = Mode.SEND;
                        case "s" -> mode = Mode.SMTP;
                        case "p" -> mode = Mode.LIST;
                        case "i" -> mode = Mode.NEWALIASES;
                        default -> {
                            return usage(err, "-b" + attached + " is not supported (use jqmail start for a daemon)");
                        }
                    }
                }
                case 'q' -> mode = Mode.FLUSH;   // -q, -q30m, -qR...: the scheduler runs anyway; retry now
                case 'o' -> {
                    // -oi, -oem, -oee, -odb ...: accepted; -oi is how we work anyway (EOF ends the message).
                    if (attached.length() > 1 && attached.charAt(0) == 'A') {
                        aliasFile = attached.substring(1);   // sendmail's -oAfile: the aliases file for -bi
                    }
                }
                case 'v' -> verbose = true;
                default -> {
                    if (IGNORED_FLAGS.indexOf(c) < 0) {
                        return usage(err, "unknown option " + Submission.shown(a));
                    }
                }
            }
        }
        for (; i < args.length; i++) {
            r.args.add(args[i]);
        }
        return switch (mode) {
            case SEND -> send(name, home, env, r, in, out, err, verbose);
            case SMTP -> smtp(name, home, env);
            case LIST -> InspectMain.run(name, new String[0], false, new PrintStream(out, true), err);
            case FLUSH -> flush(name, home, err);
            case NEWALIASES -> newaliases(name, home, aliasFile, err);
        };
    }

    private static int send(String name, Home home, Map<String, String> env, Request r, InputStream in,
                            OutputStream out, PrintStream err, boolean verbose) {
        try {
            InjectResult result = Submission.of(home, env, r).run(in, out);
            if (!result.ok()) {
                err.println(name + ": " + result.text());
                return result.permanent() ? EX_DATAERR : EX_TEMPFAIL;
            }
            if (verbose) {
                String t = result.text();
                err.println(name + ": " + (t.startsWith("ok ") ? "queued as " + t.substring(3) : t));
            }
            return EX_OK;
        } catch (Refusal e) {
            err.println(name + ": " + e.getMessage());
            return switch (e.kind) {
                case USAGE, NO_RECIPIENTS -> EX_USAGE;
                case BAD_ADDRESS -> EX_NOUSER;
                case PERMANENT -> EX_DATAERR;
                case TEMPORARY -> EX_TEMPFAIL;
            };
        } catch (IOException e) {
            err.println(name + ": " + e.getMessage());
            return EX_TEMPFAIL;
        }
    }

    /**
     * -bs: an SMTP session on stdin and stdout through smtpd's own session
     * code, as a local client allowed to relay (qmail's sendmail wrapper's
     * environment, except that control/databytes still holds, as Postfix's
     * message_size_limit does for local mail); the queue learns the caller's
     * uid from its socket.
     */
    private static int smtp(String name, Home home, Map<String, String> env) {
        Map<String, String> e = new HashMap<>(env);
        if (!e.containsKey("PROTO")) {
            e.put("RELAYCLIENT", "");
            e.put("PROTO", "TCP");
            e.put("TCPLOCALIP", "127.0.0.1");
            e.put("TCPREMOTEIP", "127.0.0.1");
            e.put("TCPLOCALHOST", "localhost");
            e.put("TCPREMOTEHOST", "localhost");
            e.put("TCPREMOTEINFO", "sendmail-bs");
        }
        return StdioSession.run(name, home, e) == 0 ? EX_OK : EX_TEMPFAIL;
    }

    /**
     * -bi: {@code jqmail newaliases}, run as a process because the aliases
     * parser lives in the local module, which the queue does not depend on.
     * The launcher names the dist; a home's own bin/ is the fallback.
     */
    private static int newaliases(String name, Home home, String aliasFile, PrintStream err) {
        String dist = System.getProperty("jqmail.dist");
        Path jqmail = dist != null ? Path.of(dist, "bin", "jqmail") : home.bin().resolve("jqmail");
        if (!Files.isExecutable(jqmail)) {
            err.println(name + ": cannot run newaliases: no " + jqmail);
            return EX_UNAVAILABLE;
        }
        List<String> cmd = new ArrayList<>(List.of(jqmail.toString(), "newaliases", "--home", home.root().toString()));
        if (aliasFile != null) {
            cmd.addAll(List.of("--file", aliasFile));
        }
        try {
            return new ProcessBuilder(cmd).inheritIO().start().waitFor();
        } catch (IOException e) {
            err.println(name + ": cannot run " + jqmail + ": " + e.getMessage());
            return EX_UNAVAILABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EX_TEMPFAIL;
        }
    }

    /** -q: every queued message is retried now (the scheduler decides; anyone may ask). */
    private static int flush(String name, Home home, PrintStream err) {
        ControlClient.Answer a = ControlClient.ask(home, "requeue all");
        if (a == null) {
            err.println(name + ": qmail-send is not running: nothing to flush now");
            return EX_TEMPFAIL;
        }
        if (!a.ok()) {
            err.println(name + ": " + a.text().strip());
            return EX_SOFTWARE;
        }
        return EX_OK;
    }

    private static int usage(PrintStream err, String why) {
        err.println("sendmail: " + why + "; usage: sendmail [-t] [-i] [-f sender] [-F name] [-bm|-bs|-bp] [-q]"
            + " [--] [address ...]");
        return EX_USAGE;
    }
}
