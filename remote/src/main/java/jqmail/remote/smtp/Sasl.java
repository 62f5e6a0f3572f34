package jqmail.remote.smtp;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * AUTH (RFC 4954) with PLAIN (RFC 4616: the initial response is
 * base64(NUL user NUL password), no authorization identity) or, when the
 * peer offers only that, LOGIN (draft-murchison-sasl-login: the user name
 * and then the password, each base64 after a 334 whose text is ignored).
 * Credentials go only over TLS, or to a loopback peer. No line sent here is
 * ever put in a message or a log.
 */
final class Sasl {
    /** Why AUTH did not succeed, in a report's words; a reply is null when the peer said nothing to quote. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        private final PeerReply reply;

        Refused(String message, PeerReply reply) {
            super(message);
            this.reply = reply;
        }

        PeerReply reply() {
            return reply;
        }
    }

    private Sasl() {
    }

    static boolean mayAuthenticate(boolean tls, InetAddress peer) {
        return tls || peer.isLoopbackAddress();
    }

    static void authenticate(PeerIo io, Capabilities caps, String user, String password)
        throws IOException, Refused {
        if (caps.authPlain()) {
            byte[] u = user.getBytes(StandardCharsets.UTF_8);
            byte[] p = password.getBytes(StandardCharsets.UTF_8);
            byte[] message = new byte[u.length + p.length + 2];
            System.arraycopy(u, 0, message, 1, u.length);
            System.arraycopy(p, 0, message, u.length + 2, p.length);
            io.command("AUTH PLAIN " + base64(message));
            io.flush();
            expect(io.readSecurityReply(), 235);
        } else if (caps.authLogin()) {
            io.command("AUTH LOGIN");
            io.flush();
            expect(io.readSecurityReply(), 334);
            io.command(base64(user.getBytes(StandardCharsets.UTF_8)));
            io.flush();
            expect(io.readSecurityReply(), 334);
            io.command(base64(password.getBytes(StandardCharsets.UTF_8)));
            io.flush();
            expect(io.readSecurityReply(), 235);
        } else {
            throw new Refused("the peer offers neither AUTH PLAIN nor AUTH LOGIN", null);
        }
    }

    private static void expect(PeerReply r, int code) throws Refused {
        if (r.code() != code) {
            throw new Refused("authentication was refused", r);
        }
    }

    private static String base64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
