package jqmail.remote.smtp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

import javax.net.ssl.SSLSocket;

/**
 * From connect to a connection ready for MAIL: greeting, EHLO or HELO,
 * STARTTLS and EHLO again, AUTH. Each failure closes the socket and becomes
 * an {@link SmtpFailure} that tries the next host.
 */
final class Opening {
    /** The peer offered STARTTLS but the handshake failed; OPPORTUNISTIC reconnects without it. */
    static final class HandshakeFailed extends Exception {
        private static final long serialVersionUID = 1L;
    }

    private final InetSocketAddress address;
    private final String peerName;
    private final ClientSettings s;
    private final String ip;
    private PeerIo io;

    Opening(InetSocketAddress address, String peerName, ClientSettings s) throws SmtpFailure {
        if (address.isUnresolved()) {
            throw SmtpFailure.nextHost("Sorry, " + address.getHostString() + " has no address. (#4.4.1)", null);
        }
        this.address = address;
        this.peerName = peerName;
        this.s = s;
        this.ip = address.getAddress().getHostAddress();
    }

    SmtpConnection run(boolean tryTls) throws SmtpFailure, HandshakeFailed {
        connect();
        try {
            PeerReply greeting = io.readReply();
            if (greeting.code() != 220) {
                throw refused("greeting failed", greeting);
            }
            Capabilities caps = hello();
            String tls = null;
            if (tryTls && caps.startTls()) {
                tls = startTls();
                if (tls != null) {
                    caps = hello();
                }
            }
            if (tls == null && s.tls().required()) {
                throw failure("TLS is required but " + ip + " does not offer STARTTLS. (#4.7.0)", null);
            }
            if (s.authenticates()) {
                authenticate(caps, tls != null);
            }
            return new SmtpConnection(io, s, ip, caps, tls);
        } catch (IOException e) {
            throw failure("Connected to " + ip + " but connection died: " + SmtpConnection.why(e) + ". (#4.4.2)", e);
        }
    }

    private void connect() throws SmtpFailure {
        Socket tcp = new Socket();
        try {
            tcp.setTcpNoDelay(true);
            tcp.connect(address, s.connectTimeoutMillis());
            io = new PeerIo(tcp, s.replyTimeoutMillis());
        } catch (SocketTimeoutException e) {
            close(tcp);
            throw SmtpFailure.connectTimeout("Sorry, I wasn't able to establish an SMTP connection to " + ip
                + ": timed out. (#4.4.1)", e);
        } catch (IOException e) {
            close(tcp);
            throw SmtpFailure.nextHost("Sorry, I wasn't able to establish an SMTP connection to " + ip + ": "
                + SmtpConnection.why(e) + ". (#4.4.1)", e);
        }
    }

    /** EHLO, or HELO when EHLO gets a 5xx (a peer that does not know EHLO). */
    private Capabilities hello() throws IOException, SmtpFailure {
        io.command("EHLO " + s.helo());
        io.flush();
        PeerReply r = io.readReply();
        if (r.positive()) {
            return Capabilities.of(r);
        }
        if (r.permanent()) {
            io.command("HELO " + s.helo());
            io.flush();
            r = io.readReply();
            if (r.positive()) {
                return Capabilities.NONE;
            }
        }
        throw refused("my name was rejected", r);
    }

    /** Null when the peer refused STARTTLS and the policy lets us go on in plain text. */
    private String startTls() throws IOException, SmtpFailure, HandshakeFailed {
        io.command("STARTTLS");
        io.flush();
        PeerReply r = io.readSecurityReply();
        if (r.code() != 220) {
            if (s.tls().required() || r.code() == 421) {
                throw refused("STARTTLS was refused", r);
            }
            return null;
        }
        io.expectNothingMore();
        boolean verify = s.tls() == TlsPolicy.REQUIRE_VERIFIED;
        SSLSocket tls;
        try {
            SSLSocket[] made = new SSLSocket[1];
            io.tcp().setSoTimeout(s.replyTimeoutMillis());
            io.watched(() -> made[0] = Tls.handshake(io.tcp(), Tls.nameFor(peerName, address.getAddress()),
                verify, s.verifyingContext()));
            tls = made[0];
        } catch (IOException e) {
            io.close();
            if (s.tls() == TlsPolicy.OPPORTUNISTIC) {
                throw new HandshakeFailed();
            }
            throw SmtpFailure.nextHost("Connected to " + ip + " but TLS failed: " + SmtpConnection.why(e)
                + ". (#4.7.0)", e);
        }
        io.switchTo(tls);
        return Tls.summary(tls);
    }

    private void authenticate(Capabilities caps, boolean tls) throws IOException, SmtpFailure {
        if (!Sasl.mayAuthenticate(tls, address.getAddress())) {
            throw failure("Not sending credentials to " + ip + " without TLS. (#4.7.0)", null);
        }
        try {
            Sasl.authenticate(io, caps, s.authUser(), s.authPassword());
        } catch (Sasl.Refused e) {
            if (e.reply() != null) {
                throw refused("authentication failed", e.reply());
            }
            throw failure("Connected to " + ip + " but " + e.getMessage() + ". (#4.7.0)", null);
        }
    }

    /** The peer said no: say QUIT without waiting, as qmail-remote does, and close. */
    private SmtpFailure refused(String what, PeerReply r) {
        try {
            io.command("QUIT");
            io.flush();
        } catch (IOException e) {
            // The failure is what matters.
        }
        io.close();
        return SmtpFailure.refused("Connected to " + ip + " but " + what + ".\nRemote host said: " + r.said(), r);
    }

    private SmtpFailure failure(String text, Throwable cause) {
        io.close();
        return SmtpFailure.nextHost(text, cause);
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // Never connected.
        }
    }
}
