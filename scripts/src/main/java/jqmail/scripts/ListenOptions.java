package jqmail.scripts;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The listening options of {@code jqmail start} (and of the supervisor it starts): DESIGN §10. */
final class ListenOptions {
    @Option(names = "--smtp", paramLabel = "HOST:PORT",
        description = "where SMTP listens (\"0\" is every address; \"none\" for no SMTP); default: control/smtplisten, "
            + "else 127.0.0.1:2525 in user mode and 0:25 in a system home")
    String smtp;

    @Option(names = "--submission", paramLabel = "HOST:PORT",
        description = "mail submission (as port 587): STARTTLS, then AUTH, which sending requires; default: "
            + "control/submissionlisten (and smtpslisten, pop3listen, pop3slisten for the next three), else none")
    String submission;

    @Option(names = "--smtps", paramLabel = "HOST:PORT",
        description = "mail submission over TLS from the first byte (as port 465), AUTH required")
    String smtps;

    @Option(names = "--pop3", paramLabel = "HOST:PORT", description = "POP3 with STLS (as port 110)")
    String pop3;

    @Option(names = "--pop3s", paramLabel = "HOST:PORT", description = "POP3 over TLS from the first byte (as port 995)")
    String pop3s;

    Listeners listeners() {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, Listeners.SMTP, smtp == null ? Daemons.NO_SMTP : smtp);
        put(m, Listeners.SUBMISSION, submission);
        put(m, Listeners.SMTPS, smtps);
        put(m, Listeners.POP3, pop3);
        put(m, Listeners.POP3S, pop3s);
        return new Listeners(m);
    }

    private static void put(Map<String, String> m, String service, String address) {
        if (address != null) {
            m.put(service, address);
        }
    }
}
