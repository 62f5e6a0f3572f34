package jqmail.queue.inject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The header block of a message being injected, read up to the blank line
 * (or the first line that is not a header field), with {@code Bcc:} fields
 * dropped and the presence of {@code Date:}, {@code Message-ID:} and
 * {@code From:} noted. A header block over {@link #MAX} bytes ends header
 * processing there and the rest is passed on untouched, so memory stays
 * bounded whatever the input.
 */
final class Headers {
    static final int MAX = 256 * 1024;

    final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    /** Bytes read past the header block (the blank line or the first body line), to send after it. */
    byte[] rest = new byte[0];
    boolean hasDate;
    boolean hasMessageId;
    boolean hasFrom;

    static Headers read(InputStream in) throws IOException {
        Headers h = new Headers();
        boolean dropping = false;
        int total = 0;
        for (;;) {
            byte[] line = readLine(in, MAX - total);
            if (line == null) {
                return h;
            }
            total += line.length;
            boolean continuation = line.length > 0 && (line[0] == ' ' || line[0] == '\t');
            String name = continuation ? null : fieldName(line);
            if (name == null && !continuation) {
                h.rest = line;
                return h;
            }
            if (continuation) {
                if (!dropping) {
                    h.kept.writeBytes(line);
                }
                continue;
            }
            dropping = name.equals("bcc");
            h.hasDate |= name.equals("date");
            h.hasMessageId |= name.equals("message-id");
            h.hasFrom |= name.equals("from");
            if (!dropping) {
                h.kept.writeBytes(line);
            }
            if (total >= MAX) {
                return h;
            }
        }
    }

    /** The lower-cased field name when {@code line} is a header field, else null. */
    private static String fieldName(byte[] line) {
        for (int i = 0; i < line.length; i++) {
            byte b = line[i];
            if (b == ':') {
                return i == 0 ? null : new String(line, 0, i, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
            }
            if (b <= 32 || b >= 127) {
                return null;
            }
        }
        return null;
    }

    /** One line with its LF; null at end of input; at most {@code max} bytes. */
    private static byte[] readLine(InputStream in, int max) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        for (;;) {
            if (b.size() >= max) {
                return b.toByteArray();
            }
            int c = in.read();
            if (c < 0) {
                return b.size() == 0 ? null : b.toByteArray();
            }
            b.write(c);
            if (c == '\n') {
                return b.toByteArray();
            }
        }
    }
}
