package jqmail.scripts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jqmail.common.Home;
import jqmail.common.Identities;
import jqmail.common.TrustAll;
import jqmail.smtpd.tcpserver.TcpRulesMain;

/**
 * The daemons {@code jqmail start} runs, in start order, how each is
 * started, and how to tell that it is ready. Each runs as
 * {@code dist/bin/NAME ... --home DIR ...}, so {@code ps} shows the program
 * and the home. The listening addresses chosen at start ({@link Listeners})
 * are kept in {@code run/pid/listen} so that status and stop know them too.
 */
final class Daemons {
    /**
     * One daemon: its name (of its pid file and log), its program, the
     * account it runs as in a system home (null: root), its command line
     * and its readiness probe.
     */
    record Spec(String name, String program, Identities.Role role, List<String> args, Probe probe) {
        Spec(String name, Identities.Role role, List<String> args, Probe probe) {
            this(name, name, role, args, probe);
        }

        List<String> command(Path dist) {
            List<String> c = new ArrayList<>();
            c.add(dist.resolve("bin").resolve(program).toString());
            c.addAll(args);
            return c;
        }
    }

    /** True once the daemon accepts work. */
    interface Probe {
        boolean ready();
    }

    static final String SUPERVISOR = "supervise";
    static final String TCPSERVER = "tcpserver";
    static final String SCHEDULER = "qmail-send";
    static final String AUTH = "authd";
    static final String NO_SMTP = "none";

    private Daemons() {
    }

    /** The daemons of this home, with the SMTP address of the last start (none when never started). */
    static List<Spec> all(Home home) {
        Listeners l = Listeners.read(home);
        return all(home, l != null ? l : new Listeners(java.util.Map.of()));
    }

    static List<Spec> all(Home home, Listeners listeners) {
        List<Spec> out = new ArrayList<>();
        out.add(new Spec("qmail-queued", Identities.Role.QUEUE, List.of("--home", home.root().toString()),
            () -> accepts(home.injectSocket())));
        out.add(new Spec("qmail-lspawn", null, List.of("--home", home.root().toString()),
            () -> accepts(home.run().resolve("lspawn/lspawn.sock"))));
        out.add(new Spec("qmail-rspawn", Identities.Role.REMOTE, List.of("--home", home.root().toString()),
            () -> accepts(home.run().resolve("rspawn/rspawn.sock"))));
        out.add(new Spec(SCHEDULER, Identities.Role.SEND, List.of("--home", home.root().toString()),
            () -> accepts(home.run().resolve("send/control.sock"))));
        if (listeners.needAuth()) {
            out.add(new Spec(AUTH, Identities.Role.AUTH, List.of("--home", home.root().toString()),
                () -> accepts(home.authSocket())));
        }
        String smtp = listeners.address(Listeners.SMTP);
        if (smtp != null) {
            List<String> rbl = new ArrayList<>();
            for (String base : list(home, "dnsbls")) {
                rbl.add("--rbl");
                rbl.add(base);
            }
            out.add(server(home, Listeners.SMTP, smtp, rbl));
        }
        for (String service : List.of(Listeners.SUBMISSION, Listeners.SMTPS, Listeners.POP3, Listeners.POP3S)) {
            String address = listeners.address(service);
            if (address != null) {
                out.add(server(home, service, address, List.of("--" + service)));
            }
        }
        return out;
    }

    /** The pid and log name of the tcpserver of a service: tcpserver for SMTP, else tcpserver-SERVICE. */
    private static String serverName(String service) {
        return service.equals(Listeners.SMTP) ? TCPSERVER : TCPSERVER + "-" + service;
    }

    /**
     * The tcpserver of a service (Listeners' names) on HOST:PORT under the
     * rules of control/tcp.smtp, with {@code options} before its address:
     * SMTP sessions, or POP3's front for pop3 and pop3s.
     */
    private static Spec server(Home home, String service, String address, List<String> options) {
        boolean tls = service.equals(Listeners.SMTPS) || service.equals(Listeners.POP3S);
        boolean pop3 = service.equals(Listeners.POP3) || service.equals(Listeners.POP3S);
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon);
        String port = address.substring(colon + 1);
        Path rules = home.control().resolve("tcp.smtp.cdb");
        List<String> args = new ArrayList<>(List.of("-c", control(home, "concurrencyincoming", "40"),
            "--per-ip", control(home, "concurrencyincomingip", "20"), "-x", rules.toString(), "-X"));
        args.addAll(options);
        args.addAll(List.of("--home", home.root().toString(), host, port, pop3 ? "qmail-popup" : "qmail-smtpd"));
        String probeHost = host.equals("0") ? "127.0.0.1" : host;
        int probePort = Integer.parseInt(port);
        String greeting = pop3 ? "+OK" : "220 ";
        return new Spec(serverName(service), TCPSERVER, Identities.Role.SMTPD, args,
            tls ? () -> greetsOverTls(probeHost, probePort, greeting) : () -> greets(probeHost, probePort, greeting));
    }

    /** Log directories: one per daemon and the supervisor's. */
    static List<String> logNames() {
        List<String> names = new ArrayList<>(List.of(SUPERVISOR, "qmail-queued", "qmail-lspawn", "qmail-rspawn",
            SCHEDULER, AUTH));
        for (String service : Listeners.SERVICES) {
            names.add(serverName(service));
        }
        return List.copyOf(names);
    }

    static Path listenFile(Home home) {
        return home.pidDir().resolve("listen");
    }

    /** Records the addresses atomically: a reader sees the old file, no file, or the whole new one. */
    static void writeListeners(Home home, Listeners l) throws IOException {
        Setup.writeAtomically(listenFile(home), l.format(), 0644);
    }

    /** Work to do before a daemon starts: tcpserver's rules are compiled from control/tcp.smtp. */
    static void prepare(Home home, Spec s) throws IOException {
        if (s.program().equals(TCPSERVER)) {
            Path text = home.control().resolve("tcp.smtp");
            if (Files.exists(text)) {
                TcpRulesMain.compile(text, home.control().resolve("tcp.smtp.cdb"));
            }
        }
    }

    private static String control(Home home, String name, String fallback) {
        try {
            return Long.toString(home.controlFiles().number(name, Long.parseLong(fallback)));
        } catch (IOException e) {
            return fallback;
        }
    }

    private static List<String> list(Home home, String name) {
        try {
            return home.controlFiles().list(name);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** A connection that closes at once: the queue daemon takes it as an injection abandoned before it began. */
    static boolean accepts(Path socket) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A greeting (SMTP's "220 ", POP3's "+OK") on host:port, then QUIT. */
    static boolean greets(String host, int port, String greeting) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
            return greets(s, greeting);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The same after a TLS handshake (465): any certificate will do, this is a probe of our own server. */
    static boolean greetsOverTls(String host, int port, String greeting) {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(host, port), 2000);
            plain.setSoTimeout(5000);
            try (Socket s = TrustAll.context().getSocketFactory().createSocket(plain, host, port, true)) {
                return greets(s, greeting);
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean greets(Socket s, String greeting) {
        try {
            s.setSoTimeout(5000);
            BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            String line = r.readLine();
            OutputStream o = s.getOutputStream();
            o.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            o.flush();
            return line != null && line.startsWith(greeting);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
