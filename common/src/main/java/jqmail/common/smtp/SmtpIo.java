package jqmail.common.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The session's two byte streams with SMTP's rules: command lines up to
 * {@link #MAX_LINE} bytes (a longer one is discarded to its end and
 * reported), replies gathered and flushed only when the client has nothing
 * more waiting (RFC 2920 pipelining), every read and write bounded by the
 * session's watchdog, and a cap on the bytes one session may send.
 */
public final class SmtpIo {
    /** RFC 5321 allows 512 for a command line; extensions need more; this is generous and bounded. */
    public static final int MAX_LINE = 2048;

    /** The client sent more in one session than the cap allows. */
    public static final class SessionCapException extends IOException {
        SessionCapException() {
            super("session byte cap reached");
        }
    }

    /** A read or write did not finish within the timeout. */
    public static final class TimeoutException extends IOException {
        TimeoutException() {
            super("timeout");
        }
    }

    /** A command line over {@link #MAX_LINE} bytes; the rest of it was read and dropped. */
    public static final class LineTooLongException extends IOException {
        LineTooLongException() {
            super("line too long");
        }
    }

    private InputStream in;
    private OutputStream out;
    private final Watchdogs.Watchdog watchdog;
    private final long timeoutMillis;
    private final long byteCap;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int limit;
    private long total;
    private final StringBuilder replies = new StringBuilder();

    public SmtpIo(InputStream in, OutputStream out, Watchdogs.Watchdog watchdog, long timeoutMillis, long byteCap) {
        this.in = in;
        this.out = out;
        this.watchdog = watchdog;
        this.timeoutMillis = timeoutMillis;
        this.byteCap = byteCap;
    }

    /**
     * From now on the session speaks through these streams (the TLS layer
     * after STARTTLS). Whatever the client sent after its STARTTLS line and
     * was already read is dropped, never taken as a command (RFC 3207 §4.2,
     * CVE-2011-0411).
     */
    public void switchTo(InputStream in, OutputStream out) {
        pos = 0;
        limit = 0;
        replies.setLength(0);
        this.in = in;
        this.out = out;
    }

    /**
     * The bytes read ahead of the last line and not yet taken, handed over
     * when the session passes the connection on (a POP3 login to its
     * session): commands the client pipelined behind the login.
     */
    public byte[] takeBuffered() {
        byte[] b = java.util.Arrays.copyOfRange(buf, pos, limit);
        pos = limit;
        return b;
    }

    /** True while bytes the client sent are waiting to be read. */
    public boolean hasBufferedInput() {
        if (pos < limit) {
            return true;
        }
        try {
            return in.available() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The next command line without its line end (CRLF, or a bare LF), one
     * char per byte; null at end of input.
     */
    public String readLine() throws IOException {
        StringBuilder line = new StringBuilder(64);
        boolean tooLong = false;
        for (;;) {
            if (pos == limit && !fill()) {
                return line.length() == 0 && !tooLong ? null : finish(line, tooLong);
            }
            int start = pos;
            while (pos < limit && buf[pos] != '\n') {
                pos++;
            }
            int n = pos - start;
            if (!tooLong) {
                if (line.length() + n > MAX_LINE) {
                    tooLong = true;
                } else {
                    line.append(new String(buf, start, n, StandardCharsets.ISO_8859_1));
                }
            }
            if (pos < limit) {
                pos++;
                return finish(line, tooLong);
            }
        }
    }

    private static String finish(StringBuilder line, boolean tooLong) throws LineTooLongException {
        if (tooLong) {
            throw new LineTooLongException();
        }
        int n = line.length();
        if (n > 0 && line.charAt(n - 1) == '\r') {
            line.setLength(n - 1);
        }
        return line.toString();
    }

    /**
     * Copies up to {@code len} bytes that are neither CR nor LF, stopping
     * before the first that is: the fast path for the body of DATA. Returns
     * how many were copied (0 when the next byte is CR or LF), or -1 at end
     * of input.
     */
    public int readText(byte[] b, int off, int len) throws IOException {
        if (pos == limit && !fill()) {
            return -1;
        }
        int end = Math.min(limit, pos + len);
        int start = pos;
        int i = pos;
        while (i < end && buf[i] != '\r' && buf[i] != '\n') {
            i++;
        }
        int n = i - start;
        System.arraycopy(buf, start, b, off, n);
        pos = i;
        return n;
    }

    /** One raw byte, or -1 at end of input. */
    public int read() throws IOException {
        if (pos == limit && !fill()) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    private boolean fill() throws IOException {
        pos = 0;
        limit = 0;
        int n;
        watchdog.arm(timeoutMillis);
        try {
            n = in.read(buf, 0, buf.length);
        } catch (IOException e) {
            throw timeoutOr(e);
        } finally {
            watchdog.disarm();
        }
        if (n < 0) {
            if (watchdog.fired()) {
                throw new TimeoutException();
            }
            return false;
        }
        total += n;
        if (total > byteCap) {
            throw new SessionCapException();
        }
        limit = n;
        return true;
    }

    /** Queues a reply; {@link #flushIfIdle()} or {@link #flush()} sends it. */
    public void reply(String line) {
        replies.append(line);
    }

    /** Sends the gathered replies unless more pipelined commands are already waiting. */
    public void flushIfIdle() throws IOException {
        if (!hasBufferedInput()) {
            flush();
        }
    }

    public void flush() throws IOException {
        if (replies.length() == 0) {
            return;
        }
        byte[] b = replies.toString().getBytes(StandardCharsets.ISO_8859_1);
        replies.setLength(0);
        watchdog.arm(timeoutMillis);
        try {
            out.write(b);
            out.flush();
        } catch (IOException e) {
            throw timeoutOr(e);
        } finally {
            watchdog.disarm();
        }
    }

    /** An I/O failure caused by the watchdog closing the connection is a timeout. */
    private IOException timeoutOr(IOException e) {
        return watchdog.fired() ? new TimeoutException() : e;
    }
}
