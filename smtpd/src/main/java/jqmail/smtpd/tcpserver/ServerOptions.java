package jqmail.smtpd.tcpserver;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * tcpserver's command line, ucspi-tcp's letters where they exist:
 *
 * <pre>
 * tcpserver [-1vqQXhHpPrRdDoO] [-c n] [-b n] [-x rules.cdb] [-l name] [-B banner] [-t n]
 *           [--per-ip n] [--rbl base]... [--rbl-reject] [--inherited] [--home DIR]
 *           [--submission | --smtps | --pop3 | --pop3s] host port [program [arg ...]]
 * </pre>
 *
 * --submission makes the in-process SMTP sessions a submission service
 * (port 587: STARTTLS, then AUTH, which MAIL requires); --smtps the same
 * with TLS from the first byte (port 465). --pop3 and --pop3s run the POP3
 * front instead (110 with STLS, 995), whose logins qmail-lspawn turns into
 * qmail-pop3d sessions; the program is then qmail-popup.
 *
 * -h -H -p -P -r -R -t name ucspi-tcp's reverse-DNS and ident lookups: they
 * are accepted and do nothing, because this tcpserver never looks up either.
 * -u and -g are refused: privileges are dropped before the JVM starts.
 */
record ServerOptions(int maxConnections, int perIp, int backlog, Path rules, boolean rulesMissingAllowed,
                     String localName, String banner, boolean printPort, int verbosity, List<String> rbl,
                     boolean rblReject, boolean inherited, String home, Service service, String host, String port,
                     List<String> program) {
    /** What the in-process sessions offer: plain SMTP (25), submission (587), submission over TLS (465). */
    enum Service { SMTP, SUBMISSION, SMTPS, POP3, POP3S;
        boolean pop3() {
            return this == POP3 || this == POP3S;
        }
    }

    static final int QUIET = 0;
    static final int ERRORS = 1;
    static final int VERBOSE = 2;

    /** A command line that cannot be obeyed. */
    static final class Usage extends Exception {
        Usage(String message) {
            super(message);
        }
    }

    static ServerOptions parse(String[] args) throws Usage {
        int c = 40;
        int perIp = 20;
        int backlog = 128;
        Path rules = null;
        boolean missingOk = false;
        String localName = null;
        String banner = null;
        boolean printPort = false;
        int verbosity = ERRORS;
        List<String> rbl = new ArrayList<>();
        boolean rblReject = false;
        boolean inherited = false;
        String home = null;
        Service service = Service.SMTP;
        int i = 0;
        for (; i < args.length && args[i].startsWith("-") && args[i].length() > 1; i++) {
            String a = args[i];
            if (a.equals("--")) {
                i++;
                break;
            }
            if (a.startsWith("--")) {
                switch (a) {
                    case "--per-ip" -> perIp = number(a, value(args, ++i, a));
                    case "--rbl" -> rbl.add(value(args, ++i, a));
                    case "--rbl-reject" -> rblReject = true;
                    case "--inherited" -> inherited = true;
                    case "--home" -> home = value(args, ++i, a);
                    case "--submission" -> service = Service.SUBMISSION;
                    case "--smtps" -> service = Service.SMTPS;
                    case "--pop3" -> service = Service.POP3;
                    case "--pop3s" -> service = Service.POP3S;
                    default -> throw new Usage("unknown option " + a);
                }
                continue;
            }
            for (int k = 1; k < a.length(); k++) {
                char o = a.charAt(k);
                String rest = a.substring(k + 1);
                switch (o) {
                    case '1' -> printPort = true;
                    case 'v' -> verbosity = VERBOSE;
                    case 'q' -> verbosity = QUIET;
                    case 'Q' -> verbosity = ERRORS;
                    case 'X' -> missingOk = true;
                    case 'h', 'H', 'p', 'P', 'r', 'R', 'd', 'D', 'o', 'O' -> { }
                    case 'u', 'g', 'U' -> throw new Usage("-" + o + ": drop privileges before the JVM starts (setpriv)");
                    case 'c', 'b', 'x', 'l', 'B', 't' -> {
                        String v = rest.isEmpty() ? value(args, ++i, "-" + o) : rest;
                        switch (o) {
                            case 'c' -> c = number("-c", v);
                            case 'b' -> backlog = number("-b", v);
                            case 'x' -> rules = Path.of(v);
                            case 'l' -> localName = v;
                            case 'B' -> banner = v;
                            default -> { }
                        }
                        k = a.length();
                    }
                    default -> throw new Usage("unknown option -" + o);
                }
            }
        }
        if (args.length - i < 2) {
            throw new Usage("host and port are required");
        }
        List<String> program = new ArrayList<>();
        for (int k = i + 2; k < args.length; k++) {
            program.add(args[k]);
        }
        return new ServerOptions(c, perIp, backlog, rules, missingOk, localName, banner, printPort, verbosity,
            List.copyOf(rbl), rblReject, inherited, home, service, args[i], args[i + 1], List.copyOf(program));
    }

    private static String value(String[] args, int i, String option) throws Usage {
        if (i >= args.length) {
            throw new Usage(option + " needs a value");
        }
        return args[i];
    }

    private static int number(String option, String v) throws Usage {
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new Usage(option + " needs a positive number, not " + v);
        }
    }

    /** The session runs inside this JVM: no program given, or qmail-smtpd (qmail-popup for POP3) itself. */
    boolean inProcess() {
        if (program.isEmpty()) {
            return true;
        }
        String p = program.get(0);
        String own = service.pop3() ? "qmail-popup" : "qmail-smtpd";
        return p.equals(own) || p.endsWith("/" + own);
    }
}
