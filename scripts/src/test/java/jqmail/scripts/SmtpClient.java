package jqmail.scripts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A raw SMTP client for conversation tests: exact bytes out, whole replies in. */
final class SmtpClient implements AutoCloseable {
    /** One reply: its code and its lines (text after "NNN-" or "NNN "). */
    record Response(int code, List<String> lines) {
        String text() {
            return String.join("\n", lines);
        }
    }

    final Socket socket;
    private final Process process;
    private final InputStream in;
    private final OutputStream out;

    SmtpClient(int port) throws IOException {
        this(port, "127.0.0.1");
    }

    /** Connects from a chosen loopback address, so rules can tell test clients apart. */
    SmtpClient(int port, String from) throws IOException {
        socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(60_000);
        process = null;
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /**
     * The first connection a server that is starting accepts on {@code port},
     * trying again every 10 ms for {@code seconds}; null if none. A loopback
     * connect to a port nobody listens on yet can meet itself (TCP's
     * simultaneous open, when the kernel picks the same port as the local
     * end): such a connection is thrown away, not taken for the server.
     */
    static SmtpClient whenListening(int port, int seconds) throws Exception {
        for (long end = System.nanoTime() + seconds * 1_000_000_000L; System.nanoTime() < end; ) {
            try {
                SmtpClient c = new SmtpClient(port);
                if (c.socket.getLocalPort() != port) {
                    return c;
                }
                c.close();
            } catch (IOException refused) {
                Thread.sleep(10);
            }
        }
        return null;
    }

    /** SMTP on a program's stdin and stdout ({@code sendmail -bs}, {@code qmail-smtpd}). */
    SmtpClient(Process p) {
        socket = null;
        process = p;
        in = p.getInputStream();
        out = p.getOutputStream();
    }

    /** Sends the lines, each with CRLF, in one write. */
    SmtpClient send(String... lines) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(l).append("\r\n");
        }
        return raw(b.toString());
    }

    /**
     * One whole session's message, from the greeting on: HELO, MAIL, a RCPT
     * for each recipient, DATA and the message's lines; every reply must be
     * the one a message that is taken gets.
     */
    void sendMessage(String helo, String from, List<String> to, String... lines) throws IOException {
        expect(220);
        send("HELO " + helo).expect(250);
        send("MAIL FROM:<" + from + ">").expect(250);
        for (String r : to) {
            send("RCPT TO:<" + r + ">").expect(250);
        }
        send("DATA").expect(354);
        String[] message = java.util.Arrays.copyOf(lines, lines.length + 1);
        message[lines.length] = ".";
        send(message).expect(250);
    }

    SmtpClient raw(String bytes) throws IOException {
        return raw(bytes.getBytes(StandardCharsets.ISO_8859_1));
    }

    SmtpClient raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** The next whole reply; null when the server closed the connection. */
    Response read() throws IOException {
        List<String> lines = new ArrayList<>();
        for (;;) {
            String line = line();
            if (line == null) {
                return lines.isEmpty() ? null : new Response(-1, lines);
            }
            if (line.length() < 4 || !line.substring(0, 3).matches("\\d{3}")) {
                throw new IOException("malformed reply line: " + line);
            }
            lines.add(line.substring(4));
            if (line.charAt(3) == ' ') {
                return new Response(Integer.parseInt(line.substring(0, 3)), lines);
            }
        }
    }

    /** Reads a reply and checks its code. */
    Response expect(int code) throws IOException {
        Response r = read();
        if (r == null || r.code() != code) {
            throw new AssertionError("expected " + code + ", got " + r);
        }
        return r;
    }

    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (;;) {
            int c = in.read();
            if (c < 0) {
                return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
            }
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                if (!s.endsWith("\r")) {
                    throw new IOException("reply line without CRLF: " + s);
                }
                return s.substring(0, s.length() - 1);
            }
            b.write(c);
        }
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
            return;
        }
        out.close();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        in.close();
    }
}
