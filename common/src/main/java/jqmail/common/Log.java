package jqmail.common;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A daemon's log: one line per event on stderr, in qmail-log's vocabulary
 * ({@code status:}, {@code warning:}, {@code alert:} prefixes). The
 * supervisor (or multilog, or journald) adds the timestamps. Lines are
 * gathered and written every {@link #FLUSH_MILLIS} (a busy daemon logs
 * several lines per message; one write for many saves it and its logger
 * most of the cost), at once for warnings and alerts, and at exit. Each
 * line is whole: lines from concurrent threads never interleave.
 */
public final class Log {
    static final long FLUSH_MILLIS = 20;
    private static final int MAX_PENDING = 32 * 1024;
    private static final OutputStream ERR = new FileOutputStream(FileDescriptor.err);
    private static final StringBuilder PENDING = new StringBuilder();
    private static Thread flusher;

    private Log() {
    }

    public static void info(String line) {
        write(line, false);
    }

    public static void warning(String line) {
        write("warning: " + line, true);
    }

    public static void alert(String line) {
        write("alert: " + line, true);
    }

    private static void write(String line, boolean now) {
        synchronized (PENDING) {
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                PENDING.append(c == '\n' ? '/' : c < 32 ? '_' : c);
            }
            PENDING.append('\n');
            if (now || PENDING.length() > MAX_PENDING) {
                flush();
            } else {
                startFlusher();
            }
        }
    }

    /** Writes what is gathered; called by the flusher, for urgent lines, and at exit. */
    public static void flush() {
        synchronized (PENDING) {
            if (PENDING.length() == 0) {
                return;
            }
            byte[] bytes = PENDING.toString().getBytes(StandardCharsets.UTF_8);
            PENDING.setLength(0);
            try {
                ERR.write(bytes);
            } catch (IOException e) {
                // Nowhere left to complain to.
            }
        }
    }

    private static void startFlusher() {
        if (flusher != null) {
            return;
        }
        flusher = new Thread(() -> {
            for (;;) {
                try {
                    Thread.sleep(FLUSH_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                flush();
            }
        }, "log");
        flusher.setDaemon(true);
        flusher.start();
        Runtime.getRuntime().addShutdownHook(new Thread(Log::flush, "log-flush"));
    }
}
