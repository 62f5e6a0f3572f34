package jqmail.smtpd.tcpserver;

import jqmail.common.Home;
import jqmail.common.Identities;
import jqmail.common.Log;
import jqmail.common.Signals;

/** {@code tcpserver}: see this package's documentation. */
public final class TcpServerMain {
    private TcpServerMain() {
    }

    public static void main(String[] args) {
        ServerOptions o;
        try {
            o = ServerOptions.parse(args);
        } catch (ServerOptions.Usage e) {
            System.err.println("tcpserver: usage: tcpserver [-1vqQX] [-c n] [-b n] [-x rules.cdb] [-l name] "
                + "[-B banner] [--per-ip n] [--rbl base] [--rbl-reject] [--inherited] [--home DIR] host port "
                + "[program ...]: " + e.getMessage());
            System.exit(100);
            return;
        }
        Signals.ignoreFatalDefaults();
        Home home = Home.of(o.home());
        if (java.nio.file.Files.exists(Identities.file(home))) {
            try {
                Identities.readAs(home, Identities.Role.SMTPD);
            } catch (java.io.IOException e) {
                Log.alert("tcpserver: cannot start: " + e.getMessage());
                System.exit(111);
                return;
            }
        }
        TcpServer server;
        try {
            server = TcpServer.open(o, home);
        } catch (Exception e) {
            Log.alert("tcpserver: unable to bind " + o.host() + ":" + o.port() + ": " + e.getMessage());
            System.exit(111);
            return;
        }
        try {
            if (o.printPort()) {
                System.out.println(server.localPort());
                System.out.flush();
            }
            Log.info("tcpserver: status: listening on " + o.host() + ":" + server.localPort());
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "close"));
            server.serve();
        } catch (Exception e) {
            Log.alert("tcpserver: " + e.getMessage());
            System.exit(111);
        }
    }
}
