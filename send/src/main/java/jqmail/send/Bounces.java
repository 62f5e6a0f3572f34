package jqmail.send;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bounce of a message, DESIGN §5: one per message, listing every failed
 * recipient, as an RFC 3464 multipart/report whose human part is qmail's
 * QSBMF text (paragraphs; the first begins "Hi. This is the"; each failure
 * paragraph begins "&lt;address&gt;:"), then the machine-readable status of
 * each recipient, then the original message (whole up to
 * {@link #FULL_RETURN_LIMIT} bytes, otherwise its header only). No software
 * is named: the mail system speaks for itself.
 */
final class Bounces {
    static final long FULL_RETURN_LIMIT = 100_000;
    static final String DOUBLE_BOUNCE_SENDER = "#@[]";
    private static final Pattern STATUS = Pattern.compile("#([245])\\.(\\d{1,3})\\.(\\d{1,3})");

    /** One failed recipient: its address and the delivery's text. */
    record Failure(String address, String text) {
        /** A failure as bounce/ID would give it back: one line of address, text without outer blank lines. */
        static Failure of(String address, String text) {
            return new Failure(address.replace('\n', '_'), text.strip());
        }

        /** Its bounce/ID record; an empty line inside the text is written "/" so that records stay apart. */
        String record() {
            return "<" + address + ">:\n" + text.replace("\n\n", "\n/\n") + "\n\n";
        }

        /** The RFC 3463 status in the text, else 5.0.0. */
        String status() {
            Matcher m = STATUS.matcher(text);
            String found = null;
            while (m.find()) {
                found = m.group(1) + "." + m.group(2) + "." + m.group(3);
            }
            if (found == null) {
                return "5.0.0";
            }
            return found.startsWith("4") ? "5" + found.substring(1) : found;
        }
    }

    private Bounces() {
    }

    /** The records of a bounce/ID text, one per failure, empty ones left out. */
    static List<String> blocks(String s) {
        List<String> out = new ArrayList<>();
        for (String raw : s.split("\n\n")) {
            // A failure with no text leaves a third newline, which the next record then starts with.
            String block = raw.replaceFirst("^\n+", "");
            if (!block.isBlank()) {
                out.add(block);
            }
        }
        return out;
    }

    /** The first line of each record: {@code <addr>:} when the file is sound. */
    static List<String> heads(String s) {
        List<String> out = new ArrayList<>();
        for (String block : blocks(s)) {
            int nl = block.indexOf('\n');
            out.add(nl < 0 ? block : block.substring(0, nl));
        }
        return out;
    }

    /** Reads bounce/ID: "&lt;addr&gt;:" then text lines, an empty line after each. */
    static List<Failure> read(Path bounceFile) throws IOException {
        List<Failure> out = new ArrayList<>();
        String s;
        try {
            s = Files.readString(bounceFile, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return out;
        }
        for (String block : blocks(s)) {
            int nl = block.indexOf('\n');
            String head = nl < 0 ? block : block.substring(0, nl);
            String text = nl < 0 ? "" : block.substring(nl + 1).replace("\n/\n", "\n\n");
            if (head.startsWith("<") && head.endsWith(">:")) {
                out.add(Failure.of(head.substring(1, head.length() - 2), text));
            }
        }
        return out;
    }

    /**
     * Writes the bounce message.
     *
     * @param doubleBounce true when the original sender was empty: the report goes to the postmaster
     * @param original     the stored message (its Received lines included), read once
     */
    static void write(OutputStream out, String me, String bounceFrom, String to, boolean doubleBounce,
                      String originalSender, Instant arrived, List<Failure> failures, InputStream original,
                      long originalBytes) throws IOException {
        String boundary = "=_" + Long.toHexString(System.nanoTime()) + "." + Long.toHexString(arrived.getEpochSecond());
        StringBuilder h = new StringBuilder();
        h.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)))
            .append('\n');
        h.append("From: ").append(bounceFrom).append('@').append(me).append('\n');
        h.append("To: ").append(to).append('\n');
        h.append("Subject: failure notice\n");
        h.append("Message-ID: <").append(boundary.substring(2)).append(".bounce@").append(me).append(">\n");
        h.append("MIME-Version: 1.0\n");
        h.append("Content-Type: multipart/report; report-type=delivery-status;\n\tboundary=\"").append(boundary)
            .append("\"\n\n");
        h.append("This is a MIME-formatted message.\n\n--").append(boundary).append('\n');
        h.append("Content-Type: text/plain; charset=us-ascii\n\n");
        h.append("Hi. This is the mail system at ").append(me).append(".\n");
        if (doubleBounce) {
            h.append("I tried to deliver a bounce message to this address, but the bounce bounced!\n\n");
        } else {
            h.append("I'm afraid I wasn't able to deliver your message to the following addresses.\n");
            h.append("This is a permanent error; I've given up. Sorry it didn't work out.\n\n");
        }
        for (Failure f : failures) {
            h.append('<').append(f.address()).append(">:\n").append(f.text().strip()).append("\n\n");
        }
        h.append(doubleBounce ? "--- The original bounce is attached.\n" : "--- A copy of the message is attached.\n");
        h.append("\n--").append(boundary).append('\n');
        h.append("Content-Type: message/delivery-status\n\n");
        h.append("Reporting-MTA: dns; ").append(me).append('\n');
        h.append("Arrival-Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(arrived.atZone(ZoneOffset.UTC)))
            .append('\n');
        for (Failure f : failures) {
            h.append("\nFinal-Recipient: rfc822; ").append(f.address()).append('\n');
            h.append("Action: failed\n");
            h.append("Status: ").append(f.status()).append('\n');
            String diag = f.text().strip().replace('\n', ' ');
            Matcher smtp = Pattern.compile("Remote host said: (\\d{3}[ -].*)").matcher(f.text());
            h.append("Diagnostic-Code: ").append(smtp.find() ? "smtp; " + smtp.group(1).strip() : "x-local; " + diag)
                .append('\n');
        }
        boolean full = originalBytes <= FULL_RETURN_LIMIT;
        h.append("\n--").append(boundary).append('\n');
        h.append("Content-Type: ").append(full ? "message/rfc822" : "text/rfc822-headers").append("\n\n");
        h.append("Return-Path: <").append(originalSender).append(">\n");
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        copyOriginal(original, out, full);
        out.write(("\n--" + boundary + "--\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The whole message, or its header only (up to the first empty line). */
    private static void copyOriginal(InputStream in, OutputStream out, boolean full) throws IOException {
        if (full) {
            in.transferTo(out);
            return;
        }
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c; (c = in.read()) >= 0; ) {
            line.write(c);
            if (c == '\n') {
                if (line.size() == 1) {
                    return;
                }
                line.writeTo(out);
                line.reset();
            }
        }
        line.writeTo(out);
    }
}
