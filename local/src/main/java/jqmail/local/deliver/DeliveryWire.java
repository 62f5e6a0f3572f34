package jqmail.local.deliver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import jqmail.common.Outcome;
import jqmail.local.users.LocalUser;

/**
 * The request qmail-lspawn sends a qmail-local worker over the worker's
 * socket: NUL-terminated fields, then the message's bytes; the worker
 * answers one report line (K, Z or D and the text). Before it, at a spool
 * line, it may send S, and the spawner answers K, Z or D for the spool
 * step. Version "L2":
 *
 * <pre>
 * L2\0 user\0 uid\0 gid\0 home\0 dash\0 ext\0 local\0 domain\0 sender\0 defaultdelivery\0
 * virtual(0|1)\0 lines\0 length\0 MESSAGE
 * </pre>
 *
 * {@code lines} is empty for "the account's .qmail files", else "=" and
 * the .qmail lines to follow instead, each ended by a newline (an alias's
 * targets). Every field is bounded ({@link #MAX_FIELD};
 * the lines {@link #MAX_LINES}); the worker trusts only its spawner
 * (checked by the peer's uid) and still checks the lengths.
 */
public final class DeliveryWire {
    static final int MAX_FIELD = 4096;
    public static final int MAX_LINES = 1 << 20;
    static final int FIELDS = 14;
    private static final int LINES = 12;

    /** A decoded request: the delivery and the message length that follows. */
    record Request(LocalDelivery.Request delivery, long length) {
    }

    private DeliveryWire() {
    }

    public static void write(OutputStream out, LocalDelivery.Request r, long length) throws IOException {
        LocalUser u = r.user();
        String lines = r.lines() == null ? "" : "=" + String.join("", r.lines().stream().map(l -> l + "\n").toList());
        String[] f = {"L2", u.user(), Integer.toString(u.uid()), Integer.toString(u.gid()), u.home().toString(), u.dash(),
            u.ext(), r.local(), r.domain(), r.sender(), r.defaultDelivery(), r.virtualUser() ? "1" : "0", lines,
            Long.toString(length)};
        ByteArrayOutputStream b = new ByteArrayOutputStream(256);
        for (String s : f) {
            b.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            b.write(0);
        }
        out.write(b.toByteArray());
    }

    static Request read(InputStream in) throws IOException {
        String[] f = new String[FIELDS];
        for (int i = 0; i < FIELDS; i++) {
            f[i] = field(in, i == LINES ? MAX_LINES : MAX_FIELD);
        }
        if (!f[0].equals("L2")) {
            throw new IOException("unknown request version");
        }
        try {
            LocalUser u = new LocalUser(f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), Path.of(f[4]), f[5], f[6]);
            long length = Long.parseLong(f[13]);
            if (length < 0) {
                throw new NumberFormatException();
            }
            List<String> lines = f[LINES].isEmpty() ? null : lines(f[LINES]);
            return new Request(new LocalDelivery.Request(u, f[7], f[8], f[9], f[10], f[11].equals("1"), lines), length);
        } catch (NumberFormatException e) {
            throw new IOException("malformed request");
        }
    }

    private static List<String> lines(String field) throws IOException {
        if (field.equals("=")) {
            return List.of();
        }
        if (!field.startsWith("=") || !field.endsWith("\n")) {
            throw new IOException("malformed request lines");
        }
        return List.of(field.substring(1, field.length() - 1).split("\n", -1));
    }

    /** A report or answer line of at most this many bytes, its newline included. */
    public static final int MAX_REPORT = 1024;

    /**
     * One line of the conversation after a request, without its newline:
     * the worker's report (K, Z, D; or S, asking the spawner for the spool
     * step), the spawner's answer to S (K, Z or D). Split at the newline
     * only; longer than {@link #MAX_REPORT}, or cut short, is an error.
     */
    public static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        for (;;) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the other end closed the connection");
            }
            if (c == '\n') {
                return b.toString(StandardCharsets.ISO_8859_1);
            }
            if (b.size() == MAX_REPORT) {
                throw new IOException("report line too long");
            }
            b.write(c);
        }
    }

    /** A line as {@link #readLine} reads it: an outcome whose text has no control character left. */
    public static byte[] line(Outcome o) {
        String text = Outcome.encode(o);
        StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_REPORT - 1));
        for (int i = 0; i < text.length() && b.length() < MAX_REPORT - 1; i++) {
            char c = text.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '_' : c);
        }
        return (b + "\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The worker's question for the spool step (SpoolAccess.DEFER). */
    public static final String SPOOL_STEP = "S";

    private static String field(InputStream in, int max) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        for (;;) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("request ends early");
            }
            if (c == 0) {
                return b.toString(StandardCharsets.ISO_8859_1);
            }
            if (b.size() == max) {
                throw new IOException("request field too long");
            }
            b.write(c);
        }
    }
}
