package jqmail.smtpd.tcpserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import jqmail.common.AuthWire;
import jqmail.common.ChannelStreams;
import jqmail.common.Log;
import jqmail.common.smtp.SmtpIo;
import jqmail.common.smtp.StartTls;

/**
 * qmail-popup's part of a POP3 connection, in tcpserver's JVM: the
 * greeting, CAPA, STLS (RFC 2595), USER and PASS (only over TLS, or from
 * loopback, as Dovecot does), QUIT. A PASS goes with its USER to
 * qmail-lspawn's login socket; from there either one refusal line comes
 * back (and the client may try again), or qmail-pop3d's session, which
 * this front then relays, TLS and all, until either side ends.
 */
final class Pop3Front {
    static final int MAX_ERRORS = 20;
    /** Longest line of the spawner's answer: qmail-pop3d's first line. */
    static final int MAX_ANSWER = 512;

    private final SmtpIo io;
    private final StartTls stls;
    private final Path logins;
    private final String remoteIp;
    private final boolean loopback;
    private InputStream clientIn;
    private OutputStream clientOut;
    private boolean tls;
    private String user;
    private int errors;

    /**
     * @param stls STARTTLS for the STLS command, or null (no certificate, or TLS already up)
     * @param tls whether the connection is already TLS (995)
     */
    Pop3Front(SmtpIo io, InputStream clientIn, OutputStream clientOut, StartTls stls, boolean tls, Path logins,
              String remoteIp) {
        this.io = io;
        this.clientIn = clientIn;
        this.clientOut = clientOut;
        this.stls = stls;
        this.tls = tls;
        this.logins = logins;
        this.remoteIp = remoteIp;
        this.loopback = remoteIp.startsWith("127.") || remoteIp.equals("::1");
    }

    void run() {
        try {
            say("+OK ready");
            while (errors < MAX_ERRORS) {
                String line;
                try {
                    line = io.readLine();
                } catch (SmtpIo.LineTooLongException e) {
                    refuse("-ERR line too long");
                    continue;
                }
                if (line == null || !command(line)) {
                    io.flush();   // what pipelined commands were told
                    return;
                }
            }
            say("-ERR too many errors");
            io.flush();
        } catch (SmtpIo.TimeoutException e) {
            trySay("-ERR autologout: idle too long");
        } catch (IOException e) {
            // The client went away.
        }
    }

    /** One command before login; false when the connection is over. */
    private boolean command(String line) throws IOException {
        int sp = line.indexOf(' ');
        String verb = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
        String arg = sp < 0 ? "" : line.substring(sp + 1);
        switch (verb) {
            case "CAPA" -> capa();
            case "STLS" -> startTls();
            case "USER" -> {
                if (!plaintextAllowed()) {
                    refuse("-ERR [AUTH] plaintext login needs TLS: use STLS");
                } else if (arg.isEmpty() || arg.length() > AuthWire.MAX_FIELD) {
                    refuse("-ERR USER needs a name");
                } else {
                    user = arg;
                    say("+OK");
                }
            }
            case "PASS" -> {
                if (user == null) {
                    refuse("-ERR USER first");
                } else if (arg.length() > AuthWire.MAX_FIELD) {
                    refuse("-ERR [AUTH] authentication failed");
                } else {
                    return !login(user, arg);
                }
            }
            case "QUIT" -> {
                say("+OK bye");
                return false;
            }
            case "APOP", "AUTH" -> refuse("-ERR not supported here: use USER and PASS");
            default -> refuse("-ERR not logged in");
        }
        return true;
    }

    private boolean plaintextAllowed() {
        return tls || loopback;
    }

    private void capa() throws IOException {
        StringBuilder b = new StringBuilder("+OK capability list follows\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\n"
            + "PIPELINING\r\n");
        if (plaintextAllowed()) {
            b.append("USER\r\n");
        }
        if (stls != null && !tls) {
            b.append("STLS\r\n");
        }
        b.append(".");
        say(b.toString());
    }

    /** RFC 2595: +OK, the handshake, and nothing the client sent before it counts. */
    private void startTls() throws IOException {
        if (stls == null || tls) {
            refuse(tls ? "-ERR TLS already active" : "-ERR TLS not available");
            return;
        }
        io.reply("+OK begin TLS negotiation\r\n");
        io.flush();
        StartTls.Upgraded u;
        try {
            u = stls.upgrade();
        } catch (IOException e) {
            Log.info("tls handshake with " + remoteIp + " failed: " + e.getMessage());
            throw e;
        }
        io.switchTo(u.in(), u.out());
        clientIn = u.in();
        clientOut = u.out();
        tls = true;
        user = null;
    }

    /**
     * Hands the login to qmail-lspawn. True when a session ran (the
     * connection is then over); false after a refusal, which the client
     * was told.
     */
    private boolean login(String name, String password) throws IOException {
        user = null;
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(logins));
        } catch (IOException e) {
            Log.warning("pop3: unable to reach qmail-lspawn: " + e.getMessage());
            refuse("-ERR [SYS/TEMP] unable to log in now, try later");
            return false;
        }
        try (ch) {
            OutputStream toSession = ChannelStreams.out(ch);
            InputStream fromSession = new java.io.BufferedInputStream(ChannelStreams.in(ch), 16 * 1024);
            toSession.write(AuthWire.request("pop3", name, password, remoteIp));
            toSession.flush();
            String first = firstLine(fromSession);
            if (first == null || !first.startsWith("+OK")) {
                refuse(first != null && first.startsWith("-ERR") ? first : "-ERR [SYS/TEMP] unable to log in now, try later");
                return false;
            }
            io.reply(first + "\r\n");
            io.flush();   // before the relay writes to the client directly
            toSession.write(io.takeBuffered());   // commands pipelined behind PASS
            toSession.flush();
            relay(ch, fromSession, toSession);
            return true;
        }
    }

    /** The session's first line (its answer to PASS), CRLF stripped; null if it ended first. */
    private static String firstLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') {
                return b.toString().strip();
            }
            if (b.length() < MAX_ANSWER) {
                b.append((char) c);
            }
        }
        return null;
    }

    /** Client to session on a thread of its own, session to client on this one, until the session ends. */
    private void relay(SocketChannel ch, InputStream fromSession, OutputStream toSession) {
        InputStream in = clientIn;
        Thread up = new Thread(() -> {
            ChannelStreams.pump(in, toSession);
            try {
                ch.shutdownOutput();
            } catch (IOException e) {
                // Already closed.
            }
        }, "pop3-client");
        up.setDaemon(true);
        up.start();
        ChannelStreams.pump(fromSession, clientOut);
    }

    private void refuse(String line) throws IOException {
        errors++;
        say(line);
    }

    private void say(String line) throws IOException {
        io.reply(line + "\r\n");
        io.flushIfIdle();
    }

    private void trySay(String line) {
        try {
            io.reply(line + "\r\n");
            io.flush();
        } catch (IOException e) {
            // Nobody left to tell.
        }
    }
}
