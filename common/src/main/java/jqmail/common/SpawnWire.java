package jqmail.common;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The scheduler's protocol with a spawner (qmail-lspawn, qmail-rspawn),
 * both directions, every field NUL-terminated and bounded:
 *
 * <pre>
 * request: SLOT\0 ID\0 SENDER\0 RECIPIENT\0     (SLOT and ID decimal, at most 3000 bytes in all)
 * report:  SLOT\0 LETTER TEXT\0                 (K, Z or D: {@link Outcome#encode})
 * </pre>
 */
public final class SpawnWire {
    public static final int MAX_REQUEST = 3000;
    public static final int MAX_REPORT_FIELD = 10_000;

    /** One delivery asked for. */
    public record Request(String slot, QueueId id, String sender, String recipient) {
    }

    private SpawnWire() {
    }

    public static byte[] request(long slot, String id, String sender, String recipient) {
        return (slot + "\0" + id + "\0" + sender + "\0" + recipient + "\0").getBytes(StandardCharsets.ISO_8859_1);
    }

    public static byte[] report(String slot, Outcome o) {
        return (slot + "\0" + Outcome.encode(o) + "\0").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The next request, or null at a clean end; anything malformed is an IOException (end the connection). */
    public static Request readRequest(InputStream in) throws IOException {
        String[] f = new String[4];
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        int total = 0;
        for (int i = 0; i < 4; i++) {
            b.reset();
            for (;;) {
                int c = in.read();
                if (c < 0) {
                    if (i == 0 && b.size() == 0) {
                        return null;
                    }
                    throw new IOException("request cut short");
                }
                if (++total > MAX_REQUEST) {
                    throw new IOException("request too long");
                }
                if (c == 0) {
                    break;
                }
                b.write(c);
            }
            f[i] = b.toString(StandardCharsets.ISO_8859_1);
        }
        QueueId id = QueueId.parse(f[1]);
        if (!isSlot(f[0]) || id == null) {
            throw new IOException("malformed request");
        }
        return new Request(f[0], id, f[2], f[3]);
    }

    /** One NUL-terminated report field; null at end of input. */
    public static String readField(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        for (;;) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            if (c == 0) {
                return b.toString(StandardCharsets.ISO_8859_1);
            }
            if (b.size() > MAX_REPORT_FIELD) {
                throw new IOException("report too long");
            }
            b.write(c);
        }
    }

    /** One to nine decimal digits (no regular expression: this runs for every delivery). */
    private static boolean isSlot(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
