package jqmail.queue.inject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The header block of a message being injected, rewritten as qmail-inject
 * does: addresses in sender and recipient fields completed by the
 * {@link Rewriter}; {@code Bcc:}, {@code Resent-Bcc:}, {@code Return-Path:}
 * and {@code Content-Length:} removed; the recipients the header names
 * collected (from the {@code Resent-} fields when the message is being
 * resent). The block ends at the blank line, at the first line that is not
 * a header field (which then starts the body), or after {@link #MAX} bytes,
 * where header processing stops and the rest passes untouched: memory stays
 * bounded whatever the input. Line ends become LF.
 */
final class Headers {
    static final int MAX = 256 * 1024;

    /** Fields whose bodies are address lists (qmail-inject's list, plus the Mail-Followup-To family). */
    private static final Set<String> ADDRESS_FIELDS = Set.of("sender", "from", "reply-to", "return-receipt-to",
        "errors-to", "resent-sender", "resent-from", "resent-reply-to", "to", "cc", "bcc", "apparently-to",
        "resent-to", "resent-cc", "resent-bcc", "mail-followup-to", "mail-reply-to");
    private static final Set<String> RECIPIENT_FIELDS = Set.of("to", "cc", "bcc", "apparently-to");
    private static final Set<String> RESENT_RECIPIENT_FIELDS = Set.of("resent-to", "resent-cc", "resent-bcc");

    /** One field: its name as written, lower-cased name, and its body with folding kept. */
    record Field(String name, String key, String body) {
    }

    final List<Field> fields = new ArrayList<>();
    /** Bytes read past the header block (the blank line, or the first body line), to send after it. */
    byte[] rest = new byte[0];
    /** Whether header processing stopped at {@link #MAX}: the rest of the header is passed on as is. */
    boolean truncated;

    static Headers read(InputStream in) throws IOException {
        Headers h = new Headers();
        int total = 0;
        StringBuilder field = null;
        ByteArrayOutputStream fieldRaw = new ByteArrayOutputStream();
        for (;;) {
            byte[] line = readLine(in, MAX - total);
            if (line == null) {
                h.add(field);
                return h;
            }
            total += line.length;
            String text = lineText(line);
            boolean continuation = !text.isEmpty() && (text.charAt(0) == ' ' || text.charAt(0) == '\t');
            if (continuation && field != null) {
                field.append('\n').append(text);
            } else if (!continuation && fieldNameEnd(text) > 0) {
                h.add(field);
                field = new StringBuilder(text);
                fieldRaw.reset();
            } else {
                h.add(field);
                h.rest = line;
                return h;
            }
            fieldRaw.writeBytes(line);
            if (total >= MAX) {
                // The field being read may be cut short: it goes on as it came, with the rest.
                h.rest = fieldRaw.toByteArray();
                h.truncated = true;
                return h;
            }
        }
    }

    private void add(StringBuilder raw) {
        if (raw == null) {
            return;
        }
        String s = raw.toString();
        int colon = fieldNameEnd(s);
        String name = s.substring(0, colon);
        fields.add(new Field(name, name.toLowerCase(Locale.ROOT), s.substring(colon + 1)));
    }

    /** The index of the colon ending a field name (printable ASCII, no space), else -1. */
    private static int fieldNameEnd(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ':') {
                return i == 0 ? -1 : i;
            }
            if (c <= 32 || c >= 127) {
                return -1;
            }
        }
        return -1;
    }

    /** A line without its LF or CRLF, bytes as ISO-8859-1 chars (no charset is assumed). */
    private static String lineText(byte[] line) {
        int n = line.length;
        if (n > 0 && line[n - 1] == '\n') {
            n--;
            if (n > 0 && line[n - 1] == '\r') {
                n--;
            }
        }
        return new String(line, 0, n, StandardCharsets.ISO_8859_1);
    }

    boolean has(String key) {
        for (Field f : fields) {
            if (f.key.equals(key)) {
                return true;
            }
        }
        return false;
    }

    /** A message is being resent when it has any Resent- field (qmail-inject's rule). */
    boolean resent() {
        for (Field f : fields) {
            if (f.key.startsWith("resent-")) {
                return true;
            }
        }
        return false;
    }

    /** The body of the first field named {@code key}, else null. */
    String first(String key) {
        for (Field f : fields) {
            if (f.key.equals(key)) {
                return f.body;
            }
        }
        return null;
    }

    /** Every address the recipient fields name (To, Cc, Bcc, Apparently-To; the Resent- ones when resent). */
    List<String> recipients(Rewriter rewriter) {
        Set<String> keys = resent() ? RESENT_RECIPIENT_FIELDS : RECIPIENT_FIELDS;
        List<String> out = new ArrayList<>();
        for (Field f : fields) {
            if (keys.contains(f.key)) {
                out.addAll(AddressList.parse(f.body).rewrite(rewriter).addresses());
            }
        }
        return out;
    }

    /** The addresses of To and Cc, for Mail-Followup-To. */
    List<String> visibleRecipients(Rewriter rewriter) {
        List<String> out = new ArrayList<>();
        for (Field f : fields) {
            if (f.key.equals("to") || f.key.equals("cc")) {
                out.addAll(AddressList.parse(f.body).rewrite(rewriter).addresses());
            }
        }
        return out;
    }

    /**
     * The header as it is stored: every field kept, address fields rewritten,
     * removed ones left out ({@code drop} adds qmail-inject's QMAILINJECT
     * deletions, f and i).
     */
    void writeTo(ByteArrayOutputStream out, Rewriter rewriter, Set<String> drop) {
        for (Field f : fields) {
            if (f.key.equals("bcc") || f.key.equals("resent-bcc") || f.key.equals("return-path")
                || f.key.equals("content-length") || drop.contains(f.key)) {
                continue;
            }
            String body = f.body;
            if (ADDRESS_FIELDS.contains(f.key)) {
                AddressList list = AddressList.parse(body);
                if (!list.addresses().isEmpty()) {
                    body = " " + fold(f.name.length() + 2, list.rewrite(rewriter).format());
                }
            }
            out.writeBytes((f.name + ":" + body + "\n").getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /**
     * Folds a rendered address list after its commas (outside quotes,
     * comments and angle brackets) so no line passes 78 characters where a
     * break is possible.
     */
    static String fold(int used, String list) {
        StringBuilder b = new StringBuilder(list.length() + 16);
        int column = used;
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i <= list.length(); i++) {
            char c = i < list.length() ? list.charAt(i) : ',';
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> quoted = true;
                case '(', '<' -> depth++;
                case ')', '>' -> depth = Math.max(0, depth - 1);
                case '\\' -> i++;
                case ',' -> {
                    if (depth == 0) {
                        String entry = list.substring(start, Math.min(i + 1, list.length())).strip();
                        if (!entry.isEmpty()) {
                            if (b.length() > 0) {
                                boolean wrap = column + 1 + entry.length() > 78;
                                b.append(wrap ? "\n " : " ");
                                column = wrap ? 1 : column + 1;
                            }
                            b.append(entry);
                            column += entry.length();
                        }
                        start = i + 1;
                    }
                }
                default -> { }
            }
        }
        return b.toString();
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
