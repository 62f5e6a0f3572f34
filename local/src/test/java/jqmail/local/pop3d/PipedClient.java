package jqmail.local.pop3d;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jqmail.common.smtp.Watchdogs;

/**
 * A POP3 client of the real session, over pipes: the session runs on its own
 * thread as it would on stdin and stdout after the front's PASS.
 */
final class PipedClient implements AutoCloseable {
    private static final Watchdogs WATCHDOGS = new Watchdogs();

    private final PipedOutputStream toSession = new PipedOutputStream();
    private final InputStream fromSession;
    private final Thread thread;
    private volatile int exitCode = -1;

    /** A session on {@code maildir}; a client idle for {@code idleMillis} is dropped (its input ends). */
    PipedClient(Path maildir, long idleMillis) throws IOException {
        PipedInputStream sessionIn = new PipedInputStream(toSession, 64 * 1024);
        PipedOutputStream sessionOut = new PipedOutputStream();
        fromSession = new PipedInputStream(sessionOut, 1024 * 1024);
        Mailbox box = Mailbox.open(maildir);
        Watchdogs.Watchdog idle = WATCHDOGS.watchdog(this::hangUpQuietly);
        thread = new Thread(() -> {
            try {
                exitCode = new Pop3Session(box, sessionIn, sessionOut, idle, idleMillis).run();
            } finally {
                idle.close();
                try {
                    sessionOut.close();
                } catch (IOException e) {
                    // Nothing to close.
                }
            }
        }, "pop3-session");
        thread.start();
    }

    PipedClient(Path maildir) throws IOException {
        this(maildir, 60_000);
    }

    /** Sends raw bytes, as they are. */
    void write(byte[] b) throws IOException {
        toSession.write(b);
        toSession.flush();
    }

    /** Sends one command line and returns the first line of the reply. */
    String send(String command) throws IOException {
        write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        return line();
    }

    /** One reply line, without its CRLF; null at the end of the session's output. */
    String line() throws IOException {
        byte[] raw = rawLine();
        return raw == null ? null : new String(raw, 0, raw.length - 2, StandardCharsets.ISO_8859_1);
    }

    /** The lines of a multi-line reply after its +OK line, up to the "." line, dot-unstuffed. */
    List<String> lines() throws IOException {
        List<String> out = new ArrayList<>();
        for (String l = line(); !l.equals("."); l = line()) {
            out.add(l.startsWith(".") ? l.substring(1) : l);
        }
        return out;
    }

    /** A multi-line reply's bytes as the client receives the message: CRLFs kept, stuffing removed, no ".CRLF". */
    byte[] message() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] l = rawLine(); !(l.length == 3 && l[0] == '.'); l = rawLine()) {
            int from = l[0] == '.' ? 1 : 0;
            out.write(l, from, l.length - from);
        }
        return out.toByteArray();
    }

    /** What a client that only reads gets: every byte up to the end of the session. */
    String rest() throws IOException {
        return new String(fromSession.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    private byte[] rawLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = fromSession.read()) >= 0) {
            b.write(c);
            if (c == '\n') {
                byte[] l = b.toByteArray();
                assertTrue(l.length >= 2 && l[l.length - 2] == '\r', "a reply line without CRLF: " + b);
                return l;
            }
        }
        assertEquals(0, b.size(), "a partial last line: " + b);
        return null;
    }

    /** The client goes away without QUIT. */
    void hangUp() throws IOException {
        toSession.close();
    }

    private void hangUpQuietly() {
        try {
            hangUp();
        } catch (IOException e) {
            // Already closed.
        }
    }

    /** The session's exit code, once it has ended. */
    int exitCode() throws InterruptedException {
        thread.join(TimeUnit.SECONDS.toMillis(30));
        assertTrue(!thread.isAlive(), "the session did not end");
        return exitCode;
    }

    @Override
    public void close() throws Exception {
        hangUp();
        rest();
        exitCode();
    }
}
