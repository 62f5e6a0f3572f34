package jqmail.local.lspawn;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import jnr.unixsocket.Credentials;
import jnr.unixsocket.UnixSocketChannel;
import jqmail.common.AuthWire;
import jqmail.common.ChannelStreams;
import jqmail.common.Home;
import jqmail.common.Identities;
import jqmail.common.Log;
import jqmail.common.smtp.Authenticator;
import jqmail.local.users.LocalUser;
import jqmail.local.users.UserLookup;

/**
 * The POP3 side of this root spawner (qmail-popup's checkpassword step):
 * the POP3 front, which runs as jqmaild, hands over a login
 * ({@link AuthWire}: "pop3", user, password, address) on
 * {@code run/lspawn/pop3.sock}. The spawner asks the auth service itself
 * (so a subverted front gains nothing by asking for a session), finds the
 * mailbox's account, and starts qmail-pop3d as that account in its home on
 * {@code Maildir}, relaying bytes between the front and the session
 * without reading them. Failure answers one line, the same for an unknown
 * user and a wrong password.
 */
final class Pop3Logins {
    static final String FAILED = "-ERR [AUTH] authentication failed\r\n";
    static final String TROUBLE = "-ERR [SYS/TEMP] unable to log in now, try later\r\n";

    private final Home home;
    private final Identities ids;
    private final Path dist;
    private final Authenticator auth;
    private volatile UserLookup users;

    Pop3Logins(Home home, Identities ids, Path dist, Authenticator auth) throws IOException {
        this.home = home;
        this.ids = ids;
        this.dist = dist;
        this.auth = auth;
        this.users = UserLookup.load(home, ids);
    }

    void serve(UnixSocketChannel ch, Credentials peer) {
        try (ch) {
            if (peer.getUid() != ids.uid(Identities.Role.SMTPD)) {
                Log.warning("qmail-lspawn: pop3: refused a connection from uid " + Integer.toUnsignedString(peer.getUid()));
                return;
            }
            InputStream in = new BufferedInputStream(ChannelStreams.in(ch), 4096);
            OutputStream out = ChannelStreams.out(ch);
            String[] f = AuthWire.readRequest(in);
            if (f == null) {
                return;
            }
            LocalUser u;
            try {
                u = login(f[1], f[2], f[3]);
            } catch (IOException e) {
                Log.warning("qmail-lspawn: pop3: unable to log in from " + f[3] + ": " + e.getMessage());
                say(out, TROUBLE);
                return;
            }
            if (u == null) {
                say(out, FAILED);
                return;
            }
            session(u, in, out);
        } catch (IOException e) {
            // The front went away.
        }
    }

    /** The mailbox's account, null when the login is refused; IOException for trouble. */
    private LocalUser login(String user, String password, String ip) throws IOException {
        Authenticator.Result r = auth.check("pop3", user, password, ip);
        switch (r.verdict()) {
            case OK -> { }
            case BAD -> {
                return null;
            }
            default -> throw new IOException("the auth service says " + r.verdict());
        }
        users = users.reloadIfChanged();
        LocalUser u = users.find(r.account());
        if (!u.dash().isEmpty() || ids.isSystem() && u.uid() == 0) {
            Log.info("qmail-lspawn: pop3: " + r.account() + " has no mailbox of its own here");
            return null;
        }
        return u;
    }

    /** qmail-pop3d as the account, its stdin and stdout relayed to the front until either ends. */
    private void session(LocalUser u, InputStream in, OutputStream out) throws IOException {
        ProcessBuilder pb = Workers.asAccount(home, ids, dist, u, List.of("HOME=" + u.home(), "USER=" + u.user()),
            "qmail-pop3d", "Maildir").directory(u.home().toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            Log.warning("qmail-lspawn: pop3: unable to start qmail-pop3d for " + u.user() + ": " + e.getMessage());
            say(out, TROUBLE);
            return;
        }
        Log.info("qmail-lspawn: pop3: session for " + u.user() + " in " + u.home() + " pid " + p.pid());
        Thread up = new Thread(() -> {
            ChannelStreams.pump(in, p.getOutputStream());
            closeQuietly(p.getOutputStream());
        }, "pop3-in");
        up.setDaemon(true);
        up.start();
        ChannelStreams.pump(p.getInputStream(), out);
        p.destroy();
    }

    private static void say(OutputStream out, String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void closeQuietly(OutputStream o) {
        try {
            o.close();
        } catch (IOException e) {
            // Gone already.
        }
    }
}
