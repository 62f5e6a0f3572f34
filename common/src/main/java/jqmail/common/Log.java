package jqmail.common;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A daemon's log: one line per event on stderr, in qmail-log's vocabulary
 * ({@code status:}, {@code warning:}, {@code alert:} prefixes). The
 * supervisor (or multilog, or journald) adds the timestamps. Each line is
 * one write, so lines from concurrent threads never interleave.
 */
public final class Log {
    private static final OutputStream ERR = new FileOutputStream(FileDescriptor.err);

    private Log() {
    }

    public static void info(String line) {
        write(line);
    }

    public static void warning(String line) {
        write("warning: " + line);
    }

    public static void alert(String line) {
        write("alert: " + line);
    }

    private static void write(String line) {
        StringBuilder b = new StringBuilder(line.length() + 1);
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            b.append(c == '\n' ? '/' : c < 32 ? '_' : c);
        }
        b.append('\n');
        byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
        synchronized (ERR) {
            try {
                ERR.write(bytes);
            } catch (IOException e) {
                // Nowhere left to complain to.
            }
        }
    }
}
