package jqmail.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import jnr.posix.POSIXFactory;
import jqmail.common.Control;
import jqmail.common.Home;
import jqmail.common.Identities;
import jqmail.common.Log;
import jqmail.common.Signals;
import jqmail.queue.daemon.SocketServer;

/** {@code authd}: see this package's documentation. */
public final class AuthdMain {
    private AuthdMain() {
    }

    public static void main(String[] args) throws Exception {
        Home home = Home.ofDaemonArguments("authd", args);
        Signals.ignoreFatalDefaults();
        Identities ids;
        AuthService service;
        try {
            ids = Identities.readAs(home, Identities.Role.AUTH);
            service = new AuthService(ids, new PasswordFile(home.users().resolve("passwd")),
                new SystemPasswords(Path.of("/etc/passwd"), Path.of("/etc/shadow"), POSIXFactory.getNativePOSIX()),
                settings(home.controlFiles()));
        } catch (IOException e) {
            Log.alert("authd: cannot start: " + e.getMessage());
            System.exit(111);
            return;
        }
        Files.createDirectories(home.authSocket().getParent());
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "auth");
            t.setDaemon(true);
            return t;
        });
        SocketServer server = SocketServer.bind(home.authSocket(), "rw-rw-rw-", pool, service::serve);
        Signals.on("HUP", () -> {
            try {
                service.reload(settings(home.controlFiles()));
                Log.info("status: authd reread its control files");
            } catch (IOException e) {
                Log.warning("authd: keeping the old settings: " + e.getMessage());
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
        Log.info("status: authd ready");
        server.run();
    }

    static AuthService.Settings settings(Control c) throws IOException {
        String check = c.line("checkpassword", null);
        return new AuthService.Settings(c.me(), c.number("authfaildelay", 2) * 1000,
            (int) Math.max(1, c.number("authfailures", 10)), check == null || check.isBlank() ? null : check);
    }
}
