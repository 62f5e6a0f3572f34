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
import jqmail.smtpd.tcpserver.TcpRulesMain;

/**
 * The daemons {@code jqmail start} runs, in start order, how each is
 * started, and how to tell that it is ready. Each runs as
 * {@code dist/bin/NAME ... --home DIR ...}, so {@code ps} shows the program
 * and the home. The SMTP listening address chosen at start is kept in
 * {@code run/pid/smtp.listen} so that status and stop know it too.
 */
final class Daemons {
    /**
     * One daemon: its program name, the account it runs as in a system home
     * (null: root), its command line and its readiness probe.
     */
    record Spec(String name, Identities.Role role, List<String> args, Probe probe) {
        List<String> command(Path dist) {
            List<String> c = new ArrayList<>();
            c.add(dist.resolve("bin").resolve(name).toString());
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
    static final String NO_SMTP = "none";

    private Daemons() {
    }

    /** The daemons of this home, with the SMTP address of the last start (none when never started). */
    static List<Spec> all(Home home) {
        return all(home, listenAddress(home));
    }

    static List<Spec> all(Home home, String smtp) {
        List<Spec> out = new ArrayList<>();
        out.add(new Spec("qmail-queued", Identities.Role.QUEUE, List.of("--home", home.root().toString()),
            () -> accepts(home.injectSocket())));
        out.add(new Spec("qmail-lspawn", null, List.of("--home", home.root().toString()),
            () -> accepts(home.run().resolve("lspawn/lspawn.sock"))));
        out.add(new Spec("qmail-rspawn", Identities.Role.REMOTE, List.of("--home", home.root().toString()),
            () -> accepts(home.run().resolve("rspawn/rspawn.sock"))));
        out.add(new Spec(SCHEDULER, Identities.Role.SEND, List.of("--home", home.root().toString()),
            () -> accepts(home.run().resolve("send/control.sock"))));
        if (smtp != null && !smtp.equals(NO_SMTP)) {
            int colon = smtp.lastIndexOf(':');
            String host = smtp.substring(0, colon);
            String port = smtp.substring(colon + 1);
            Path rules = home.control().resolve("tcp.smtp.cdb");
            List<String> args = new ArrayList<>(List.of("-c", control(home, "concurrencyincoming", "40"),
                "--per-ip", control(home, "concurrencyincomingip", "20"), "-x", rules.toString(), "-X"));
            for (String base : list(home, "dnsbls")) {
                args.add("--rbl");
                args.add(base);
            }
            args.addAll(List.of("--home", home.root().toString(), host, port, "qmail-smtpd"));
            out.add(new Spec(TCPSERVER, Identities.Role.SMTPD, args, () -> greets(host.equals("0") ? "127.0.0.1" : host,
                Integer.parseInt(port))));
        }
        return out;
    }

    /** Log directories: one per daemon and the supervisor's. */
    static List<String> logNames() {
        return List.of(SUPERVISOR, "qmail-queued", "qmail-lspawn", "qmail-rspawn", SCHEDULER, TCPSERVER);
    }

    static Path listenFile(Home home) {
        return home.pidDir().resolve("smtp.listen");
    }

    /** Records the SMTP address atomically: a reader sees the old file, no file, or the whole new one. */
    static void writeListenAddress(Home home, String smtp) throws IOException {
        Setup.writeAtomically(listenFile(home), smtp + "\n", 0644);
    }

    static String listenAddress(Home home) {
        try {
            String s = Files.readString(listenFile(home), StandardCharsets.US_ASCII).strip();
            return s.isEmpty() ? null : s;
        } catch (IOException e) {   // none yet, or unreadable: no address known
            return null;
        }
    }

    /** Work to do before a daemon starts: tcpserver's rules are compiled from control/tcp.smtp. */
    static void prepare(Home home, Spec s) throws IOException {
        if (s.name().equals(TCPSERVER)) {
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

    /** An SMTP greeting (220) on host:port, then QUIT. */
    static boolean greets(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
            s.setSoTimeout(5000);
            BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            String line = r.readLine();
            OutputStream o = s.getOutputStream();
            o.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            o.flush();
            return line != null && line.startsWith("220 ");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
