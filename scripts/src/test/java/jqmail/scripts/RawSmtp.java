package jqmail.scripts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import jqmail.common.TrustAll;

/**
 * A client that writes raw SMTP (or POP3) text (several commands in one write when a
 * test wants them pipelined) and reads whole replies, with STARTTLS that
 * trusts the self-signed certificate jqmail setup made.
 */
final class RawSmtp implements AutoCloseable {
    private final Socket socket;
    private InputStream in;
    private OutputStream out;

    private RawSmtp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** To loopback {@code port}, from {@code local} (another loopback address is another client). */
    static RawSmtp connect(int port, InetAddress local) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(local, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(30_000);
        return new RawSmtp(s);
    }

    static RawSmtp connect(int port) throws IOException {
        return connect(port, InetAddress.getLoopbackAddress());
    }

    Socket socket() {
        return socket;
    }

    /** Raw text, CRLFs and all. */
    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** One command line. */
    void line(String command) throws IOException {
        send(command + "\r\n");
    }

    /** One whole SMTP reply, its lines joined by LF. */
    String reply() throws IOException {
        List<String> lines = new ArrayList<>();
        for (;;) {
            String l = readLine();
            lines.add(l);
            if (l.length() < 4 || l.charAt(3) == ' ') {
                return String.join("\n", lines);
            }
        }
    }

    /** One line without its CRLF (a POP3 reply). */
    String readLine() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("closed after " + b);
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    /** STARTTLS, its 220, and the handshake; the session goes on over TLS. */
    void startTls() throws Exception {
        line("STARTTLS");
        String r = reply();
        if (!r.startsWith("220 ")) {
            throw new IOException("STARTTLS refused: " + r);
        }
        handshake();
    }

    /** The client's side of a handshake over the connection as it is (after STARTTLS's 220, or at once for 465). */
    void handshake() throws Exception {
        SSLSocket t = (SSLSocket) TrustAll.context().getSocketFactory().createSocket(socket, "test.example", socket.getPort(), true);
        t.startHandshake();
        in = t.getInputStream();
        out = t.getOutputStream();
    }

    /** True when the server ends the connection (EOF or a reset) before the socket's 30 s read timeout. */
    boolean closedByServer() {
        try {
            while (socket.getInputStream().read() >= 0) {
                // whatever the server still said
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
