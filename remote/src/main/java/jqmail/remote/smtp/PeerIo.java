package jqmail.remote.smtp;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jqmail.common.smtp.Watchdogs;

/**
 * The two byte streams of one connection with the client's limits. A reply
 * may take at most the reply timeout as a whole (a peer that trickles a byte
 * at a time gains nothing), its lines at most {@link #MAX_LINE} bytes, and
 * at most {@link #MAX_LINES} lines; every line must start with the reply's
 * three digits and '-' or ' '. Anything else is a {@link MalformedReply}: a
 * peer that says that cannot be trusted to be in step with us, so the
 * connection is over. Writes go through a watchdog that closes the TCP
 * socket when one buffer has not gone out within the timeout, since
 * {@link Socket#setSoTimeout} bounds only reads.
 */
final class PeerIo {
    static final int MAX_LINE = 2048;
    static final int MAX_LINES = 100;

    private static final Watchdogs WATCHDOGS = new Watchdogs();
    private static final int OUT_BUFFER = 64 * 1024;

    /** The peer said something that is not an SMTP reply within our limits. */
    static final class MalformedReply extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedReply(String message) {
            super(message);
        }
    }

    private final Socket tcp;
    private final Watchdogs.Watchdog watchdog;
    private final int timeoutMillis;
    private Socket socket;
    private InputStream input;
    private OutputStream output;
    private final byte[] buf = new byte[4096];
    private int pos;
    private PeerReply throttle;
    private int limit;

    PeerIo(Socket tcp, int timeoutMillis) throws IOException {
        this.tcp = tcp;
        this.timeoutMillis = timeoutMillis;
        this.watchdog = WATCHDOGS.watchdog(this::abort);
        use(tcp);
    }

    private void use(Socket s) throws IOException {
        socket = s;
        input = s.getInputStream();
        output = new BufferedOutputStream(new Watched(s.getOutputStream()), OUT_BUFFER);
    }

    Socket socket() {
        return socket;
    }

    Socket tcp() {
        return tcp;
    }

    int timeoutMillis() {
        return timeoutMillis;
    }

    /**
     * Before the TLS handshake: the peer must not have sent anything after
     * its 220 to STARTTLS. Bytes read in plain text and then taken as if
     * they came over TLS are the STARTTLS injection of CVE-2011-0411.
     */
    void expectNothingMore() throws IOException {
        if (pos < limit || input.available() > 0) {
            throw new MalformedReply("peer sent data after its reply to STARTTLS");
        }
    }

    /** Moves to the TLS layer over the same TCP socket. */
    void switchTo(Socket tlsSocket) throws IOException {
        expectNothingBuffered();
        use(tlsSocket);
    }

    private void expectNothingBuffered() throws MalformedReply {
        if (pos < limit) {
            throw new MalformedReply("peer sent data after its reply to STARTTLS");
        }
    }

    /** Queues one command line; CRLF is added. */
    void command(String line) throws IOException {
        output.write(line.getBytes(StandardCharsets.ISO_8859_1));
        output.write('\r');
        output.write('\n');
    }

    void flush() throws IOException {
        output.flush();
    }

    /** The buffered, watched output for the message body. */
    OutputStream output() {
        return output;
    }

    /** Reads one whole reply within the reply timeout. */
    /** The last reply that asked us to slow down, or null. */
    PeerReply throttle() {
        return throttle;
    }

    PeerReply readReply() throws IOException {
        return readReply(timeoutMillis);
    }

    PeerReply readReply(int millis) throws IOException {
        return heed(readWhole(millis));
    }

    /** The reply to STARTTLS or AUTH (see {@link PeerReply#throttling()}). */
    PeerReply readSecurityReply() throws IOException {
        return heed(readWhole(timeoutMillis).toSecurityCommand());
    }

    private PeerReply heed(PeerReply r) {
        if (r.throttling()) {
            throttle = r;
        }
        return r;
    }

    private PeerReply readWhole(int millis) throws IOException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        List<String> lines = new ArrayList<>();
        int code = -1;
        for (;;) {
            String line = readLine(deadline);
            int c = codeOf(line);
            if (code < 0) {
                code = c;
            } else if (c != code) {
                throw new MalformedReply("reply lines with different codes: " + code + " and " + c);
            }
            lines.add(line);
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new PeerReply(code, lines);
            }
            if (lines.size() >= MAX_LINES) {
                throw new MalformedReply("reply longer than " + MAX_LINES + " lines");
            }
        }
    }

    private static int codeOf(String line) throws MalformedReply {
        if (line.length() < 3
            || line.charAt(0) < '2' || line.charAt(0) > '5'
            || line.charAt(1) < '0' || line.charAt(1) > '5'
            || line.charAt(2) < '0' || line.charAt(2) > '9'
            || line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-') {
            throw new MalformedReply("not an SMTP reply line: " + new PeerReply(0, List.of(
                line.length() > 60 ? line.substring(0, 60) : line)).said());
        }
        return (line.charAt(0) - '0') * 100 + (line.charAt(1) - '0') * 10 + (line.charAt(2) - '0');
    }

    /** One line without its LF or CRLF, one char per byte. */
    private String readLine(long deadline) throws IOException {
        StringBuilder line = new StringBuilder(80);
        for (;;) {
            if (pos == limit) {
                fill(deadline);
            }
            byte b = buf[pos++];
            if (b == '\n') {
                int n = line.length();
                if (n > 0 && line.charAt(n - 1) == '\r') {
                    line.setLength(--n);
                }
                if (n > MAX_LINE) {
                    throw new MalformedReply("reply line longer than " + MAX_LINE + " bytes");
                }
                return line.toString();
            }
            if (line.length() > MAX_LINE) {
                throw new MalformedReply("reply line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) (b & 0xff));
        }
    }

    private void fill(long deadline) throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
            throw new SocketTimeoutException("timed out waiting for a reply");
        }
        socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
        int n = input.read(buf, 0, buf.length);
        if (n < 0) {
            throw new EOFException("connection closed by the peer");
        }
        pos = 0;
        limit = n;
    }

    /** Runs something that may block on a write (a TLS handshake, a close) under the watchdog. */
    void watched(IoAction action) throws IOException {
        watchdog.arm(timeoutMillis);
        try {
            action.run();
        } catch (IOException e) {
            throw timeoutOr(e);
        } finally {
            watchdog.disarm();
        }
    }

    interface IoAction {
        void run() throws IOException;
    }

    /** Closes the connection; never blocks longer than the timeout. */
    void close() {
        try {
            watched(socket::close);
        } catch (IOException e) {
            abort();
        } finally {
            abort();
            watchdog.close();
        }
    }

    /** Closes the TCP socket under whatever layer is on it: what the watchdog does. */
    private void abort() {
        try {
            tcp.close();
        } catch (IOException e) {
            // Nothing more to close.
        }
    }

    private IOException timeoutOr(IOException e) {
        if (watchdog.fired()) {
            SocketTimeoutException t = new SocketTimeoutException("timed out writing to the peer");
            t.initCause(e);
            return t;
        }
        return e;
    }

    /** The socket's output with every write and flush bounded by the watchdog. */
    private final class Watched extends FilterOutputStream {
        Watched(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            watched(() -> out.write(b, off, len));
        }

        @Override
        public void flush() throws IOException {
            watched(out::flush);
        }
    }
}
