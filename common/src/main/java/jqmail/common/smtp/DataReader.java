package jqmail.common.smtp;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Reads the text after DATA up to its end and writes the message as it is
 * stored: LF line ends, dots unstuffed.
 *
 * <p>Only {@code CRLF . CRLF} ends the data: a line of a single dot that
 * ends in CRLF and follows a line that ended in CRLF (or is the first line).
 * A bare LF is taken as the end of a line of content (Postfix's
 * "normalize"); a bare CR is never a line end and is kept as content. So a
 * dot line framed by a bare LF or a bare CR ({@code \n.\n}, {@code \r.\n},
 * {@code \n.\r\n}, {@code \r.\r\n}, {@code \r\n.\rX}) is content, and
 * nothing after it is ever read as a command: the SMTP smuggling class of
 * December 2023.
 *
 * <p>While the header lasts (up to the first empty line) it counts
 * {@code Received:} and {@code Delivered-To:} lines, qmail's hop count. Past
 * {@code limit} stored bytes it stops writing and keeps reading to the end,
 * so the client gets its 552 after the end of the data, in step.
 */
public final class DataReader {
    /**
     * What came in: stored bytes, hops, whether the limit was passed, and the
     * first failure of the output (the queue refused mid-stream), if any.
     */
    public record Result(long bytes, int hops, boolean overLimit, IOException sinkError) {
    }

    private static final byte[] RECEIVED = "received:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] DELIVERED = "delivered-to:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private enum State { LINE_START, DOT, DOT_CR, TEXT, CR }

    private final SmtpIo in;
    private final OutputStream out;
    private final long limit;
    private final byte[] outBuf = new byte[16 * 1024];
    private int outLen;
    private IOException sinkError;
    private long bytes;
    private int hops;
    private boolean inHeader = true;
    private final byte[] head = new byte[DELIVERED.length];
    private int headLen;
    private boolean afterCrlf = true;

    private final byte[] prefix;

    /**
     * @param limit  stored bytes allowed, not counting {@code prefix}; 0 for no limit
     * @param prefix written before the message (the trace line)
     */
    public DataReader(SmtpIo in, OutputStream out, long limit, byte[] prefix) {
        this.in = in;
        this.out = out;
        this.limit = limit == 0 ? Long.MAX_VALUE : limit;
        this.prefix = prefix;
    }

    /** Reads to the end of the data; an IOException means the client went away or timed out. */
    public Result read() throws IOException {
        try {
            out.write(prefix);
        } catch (IOException e) {
            sinkError = e;
        }
        State s = State.LINE_START;
        for (;;) {
            int c = in.read();
            if (c < 0) {
                throw new java.io.EOFException("client closed the connection in DATA");
            }
            switch (s) {
                case LINE_START -> s = lineStart(c);
                case DOT -> {
                    if (c == '\r') {
                        s = State.DOT_CR;
                    } else if (c == '\n') {
                        // ".\n": a bare-LF dot line is content, kept as "."
                        emit('.');
                        s = lineEnd(false);
                    } else {
                        s = text(c);  // unstuffed: the dot is dropped
                    }
                }
                case DOT_CR -> {
                    if (c == '\n') {
                        if (afterCrlf) {
                            flushOut();
                            return new Result(bytes, hops, bytes > limit, sinkError);
                        }
                        emit('.');
                        s = lineEnd(true);
                    } else {
                        // ".\rX": unstuffed, the bare CR is content
                        emit('\r');
                        s = c == '\r' ? State.CR : text(c);
                    }
                }
                case TEXT -> {
                    s = text(c);
                    if (s == State.TEXT && !inHeader) {
                        copyRun();
                    }
                }
                case CR -> {
                    if (c == '\n') {
                        s = lineEnd(true);
                    } else {
                        emit('\r');
                        s = c == '\r' ? State.CR : text(c);
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    /** The rest of a body line up to its CR or LF, in bulk. */
    private void copyRun() throws IOException {
        for (;;) {
            if (outLen == outBuf.length) {
                flushOut();
            }
            int n = in.readText(outBuf, outLen, outBuf.length - outLen);
            if (n <= 0) {
                return;
            }
            long room = Math.max(0, limit - bytes);
            bytes += n;
            outLen += (int) Math.min(n, room);
        }
    }

    private State lineStart(int c) throws IOException {
        if (c == '.') {
            return State.DOT;
        }
        if (c == '\r') {
            return State.CR;
        }
        if (c == '\n') {
            return lineEnd(false);
        }
        return text(c);
    }

    private State text(int c) throws IOException {
        if (c == '\r') {
            return State.CR;
        }
        if (c == '\n') {
            return lineEnd(false);
        }
        emit(c);
        return State.TEXT;
    }

    private State lineEnd(boolean crlf) throws IOException {
        if (inHeader) {
            if (headLen == 0) {
                inHeader = false;
            } else if (startsWith(RECEIVED) || startsWith(DELIVERED)) {
                hops++;
            }
            headLen = 0;
        }
        emit('\n');
        afterCrlf = crlf;
        return State.LINE_START;
    }

    private boolean startsWith(byte[] prefix) {
        if (headLen < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            int b = head[i];
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private void emit(int c) throws IOException {
        if (inHeader && c != '\n' && headLen < head.length) {
            head[headLen++] = (byte) c;
        }
        bytes++;
        if (bytes > limit) {
            return;
        }
        outBuf[outLen++] = (byte) c;
        if (outLen == outBuf.length) {
            flushOut();
        }
    }

    /** A failing output is remembered, not thrown: the client's data is still read to its end. */
    private void flushOut() {
        if (outLen > 0 && sinkError == null) {
            try {
                out.write(outBuf, 0, outLen);
            } catch (IOException e) {
                sinkError = e;
            }
        }
        outLen = 0;
    }
}
