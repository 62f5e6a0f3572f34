package jqmail.scripts;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A test home with both daemons: the queue daemon and tcpserver on a free loopback port. */
final class SmtpHome implements AutoCloseable {
    /** Loopback 127.0.0.2 relays; 127.0.0.1 is a stranger; the rest as each test writes. */
    static final String RULES = "127.0.0.2:allow,RELAYCLIENT=\"\"\n:allow\n";

    final TestHome home;
    final int port;

    SmtpHome(Path dir, String rules) throws Exception {
        this(dir, rules, true);
    }

    /** With {@code deliver} false, both channels are held (concurrency 0): what is queued stays queued. */
    SmtpHome(Path dir, String rules, boolean deliver) throws Exception {
        home = new TestHome(dir);
        if (!deliver) {
            home.holdDeliveries();
        }
        Files.writeString(home.home.control().resolve("tcp.smtp"), rules);
        home.control("queueminfree", "0");
        Path assign = home.home.users().resolve("assign");
        String before = Files.exists(assign) ? Files.readString(assign).replace(".\n", "") : "";
        Files.writeString(assign, before + "=alice:alice:1000:1000:/nonexistent:::\n.\n");
        Files.writeString(home.home.alias().resolve(".qmail-abuse"), "&alice\n");
        port = freePort();
        Dist.Result r = home.jqmail("start", "--smtp", "127.0.0.1:" + port);
        if (r.code() != 0) {
            throw new AssertionError("start: " + r.stderr() + home.log());
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    SmtpClient connect() throws IOException {
        return new SmtpClient(port);
    }

    SmtpClient connect(String from) throws IOException {
        return new SmtpClient(port, from);
    }

    List<TestHome.Stored> stored() throws IOException {
        return home.stored();
    }

    /** Waits for the rest of a session's work (the queue daemon has committed when 250 was sent). */
    @Override
    public void close() throws Exception {
        home.close();
    }
}
