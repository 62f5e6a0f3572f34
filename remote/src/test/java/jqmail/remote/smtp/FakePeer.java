package jqmail.remote.smtp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scripted SMTP server on a loopback port the system picks: one script per
 * connection it accepts, in order, run on one thread. A failed assertion in a
 * script is kept and thrown by {@link #close()}, so the test sees it.
 */
public final class FakePeer implements AutoCloseable {
    public interface Script {
        void run(Session s) throws Exception;
    }

    private final ServerSocket server;
    private final Thread thread;
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    public FakePeer(Script... scripts) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> serve(scripts), "fake-peer");
        thread.setDaemon(true);
        thread.start();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    private void serve(Script[] scripts) {
        for (Script script : scripts) {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(20_000);
                script.run(new Session(socket));
            } catch (Throwable t) {
                failures.add(t);
            }
        }
    }

    /** Waits for the scripts to end and rethrows the first failure, an assertion's as it was. */
    @Override
    public void close() throws IOException {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
        assertTrue(!thread.isAlive(), "fake peer still running");
        if (!failures.isEmpty()) {
            Throwable t = failures.get(0);
            if (t instanceof Error e) {
                throw e;
            }
            throw new AssertionError("fake peer script failed: " + t, t);
        }
    }

    /** One connection, from the server's side. */
    public static final class Session {
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        Session(Socket socket) throws IOException {
            use(socket);
        }

        private void use(Socket s) throws IOException {
            socket = s;
            in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
            out = s.getOutputStream();
        }

        Socket socket() {
            return socket;
        }

        /** Writes the lines, each with CRLF, in one write. */
        public void reply(String... lines) throws IOException {
            StringBuilder b = new StringBuilder();
            for (String l : lines) {
                b.append(l).append("\r\n");
            }
            raw(b.toString().getBytes(StandardCharsets.ISO_8859_1));
        }

        public void raw(byte[] b) throws IOException {
            out.write(b);
            out.flush();
        }

        /** One line without CRLF, one char per byte; null at end of input. */
        public String readLine() throws IOException {
            StringBuilder b = new StringBuilder();
            for (;;) {
                int c = in.read();
                if (c < 0) {
                    return b.length() == 0 ? null : b.toString();
                }
                if (c == '\n') {
                    int n = b.length();
                    if (n > 0 && b.charAt(n - 1) == '\r') {
                        b.setLength(n - 1);
                    }
                    return b.toString();
                }
                b.append((char) c);
            }
        }

        public void expect(String line) throws IOException {
            assertEquals(line, readLine());
        }

        /** The usual start: greeting, then EHLO answered with these extensions. */
        public void ehlo(String... extensions) throws IOException {
            reply("220 fake.example ESMTP");
            expect("EHLO client.example");
            answerEhlo(extensions);
        }

        public void answerEhlo(String... extensions) throws IOException {
            String[] lines = new String[extensions.length + 1];
            lines[0] = (extensions.length == 0 ? "250 " : "250-") + "fake.example";
            for (int i = 0; i < extensions.length; i++) {
                lines[i + 1] = (i == extensions.length - 1 ? "250 " : "250-") + extensions[i];
            }
            reply(lines);
        }

        /** The data after 354, up to and including CRLF.CRLF, exactly as it came. */
        public byte[] readData() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int s = 2; // bytes of CRLF.CRLF matched; the data starts as after a CRLF
            for (;;) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("end of input in DATA");
                }
                b.write(c);
                s = next(s, c);
                if (s == 5) {
                    return b.toByteArray();
                }
            }
        }

        /** Reads the data without keeping it; returns its length including the end mark. */
        public long discardData(java.util.zip.CRC32 crc) throws IOException {
            byte[] buf = new byte[64 * 1024];
            long n = 0;
            int s = 2;
            for (;;) {
                int got = in.read(buf);
                if (got < 0) {
                    throw new IOException("end of input in DATA");
                }
                for (int i = 0; i < got; i++) {
                    s = next(s, buf[i] & 0xff);
                    if (s == 5) {
                        crc.update(buf, 0, i + 1);
                        assertEquals(got, i + 1, "bytes after the end of data");
                        return n + i + 1;
                    }
                }
                crc.update(buf, 0, got);
                n += got;
            }
        }

        /** A matcher for CR LF . CR LF: the state is how many bytes of it were just seen. */
        private static int next(int s, int c) {
            switch (s) {
                case 0:
                    return c == '\r' ? 1 : 0;
                case 1:
                    return c == '\n' ? 2 : c == '\r' ? 1 : 0;
                case 2:
                    return c == '.' ? 3 : c == '\r' ? 1 : 0;
                case 3:
                    return c == '\r' ? 4 : 0;
                case 4:
                    return c == '\n' ? 5 : c == '\r' ? 1 : 0;
                default:
                    throw new IllegalStateException();
            }
        }

        /** True when nothing arrives within the time: the client is waiting for us. */
        public boolean quiet(long millis) throws IOException, InterruptedException {
            Thread.sleep(millis);
            return in.available() == 0;
        }

        /** True when the client closed the connection (reads to the end, within the socket timeout). */
        public boolean closedByClient() throws IOException {
            try {
                while (in.read() >= 0) {
                    // Drain what is left.
                }
                return true;
            } catch (IOException e) {
                return e.getMessage() != null && e.getMessage().contains("reset");
            }
        }

        /** Takes the TLS server side over this connection. */
        public void startTls(SSLContext context) throws IOException {
            SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
            s.setUseClientMode(false);
            s.startHandshake();
            use(s);
        }
    }
}
