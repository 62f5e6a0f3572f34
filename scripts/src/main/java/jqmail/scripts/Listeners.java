package jqmail.scripts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jqmail.common.Home;

/**
 * Where each network service listens, HOST:PORT, as {@code jqmail start}
 * was told: SMTP (or "none"), submission with STARTTLS (587-style),
 * submission over TLS (465-style), POP3 with STLS, POP3 over TLS. Kept in
 * {@code run/pid/listen}, one "SERVICE HOST:PORT" line each, so that status
 * and stop know them too.
 */
record Listeners(Map<String, String> addresses) {
    static final String SMTP = "smtp";
    static final String SUBMISSION = "submission";
    static final String SMTPS = "smtps";
    static final String POP3 = "pop3";
    static final String POP3S = "pop3s";
    /** The services in start order, each its own option of {@code jqmail start}. */
    static final List<String> SERVICES = List.of(SMTP, SUBMISSION, SMTPS, POP3, POP3S);

    Listeners {
        addresses = Map.copyOf(addresses);
    }

    /** HOST:PORT of a service, or null when it does not run. */
    String address(String service) {
        String a = addresses.get(service);
        return a == null || a.equals(Daemons.NO_SMTP) ? null : a;
    }

    /** Whether something asks the auth service: AUTH on submission, POP3 logins. */
    boolean needAuth() {
        return address(SUBMISSION) != null || address(SMTPS) != null || address(POP3) != null || address(POP3S) != null;
    }

    /** The options that make the same listeners again ({@code jqmail supervise}). */
    List<String> options() {
        List<String> o = new ArrayList<>();
        for (String s : SERVICES) {
            if (addresses.containsKey(s)) {
                o.add("--" + s);
                o.add(addresses.get(s));
            }
        }
        return o;
    }

    /** null when every given address is HOST:PORT; else the complaint. */
    String invalid() {
        for (Map.Entry<String, String> e : addresses.entrySet()) {
            String a = e.getValue();
            boolean none = e.getKey().equals(SMTP) && a.equals(Daemons.NO_SMTP);
            if (!none && !a.matches(".+:\\d{1,5}")) {
                return "--" + e.getKey() + ": HOST:PORT" + (e.getKey().equals(SMTP) ? " or none" : "") + ", not " + a;
            }
        }
        return null;
    }

    String format() {
        StringBuilder b = new StringBuilder();
        for (String s : SERVICES) {
            if (addresses.containsKey(s)) {
                b.append(s).append(' ').append(addresses.get(s)).append('\n');
            }
        }
        return b.toString();
    }

    static Listeners parse(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0 && SERVICES.contains(line.substring(0, sp))) {
                m.put(line.substring(0, sp), line.substring(sp + 1).strip());
            }
        }
        return new Listeners(m);
    }

    /** What the running supervisor was told, or null before it has said. */
    static Listeners read(Home home) {
        try {
            String s = Files.readString(Daemons.listenFile(home), StandardCharsets.US_ASCII);
            return s.isBlank() ? null : parse(s);
        } catch (IOException e) {   // none yet, or unreadable: nothing known
            return null;
        }
    }
}
