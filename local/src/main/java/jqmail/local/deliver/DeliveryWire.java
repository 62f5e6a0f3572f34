package jqmail.local.deliver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import jqmail.local.users.LocalUser;

/**
 * The request qmail-lspawn sends a qmail-local worker over the worker's
 * socket, one delivery per connection: NUL-terminated fields, then the
 * message's bytes; the worker answers one report line (K, Z or D and the
 * text). Version "L1":
 *
 * <pre>
 * L1\0 user\0 uid\0 gid\0 home\0 dash\0 ext\0 local\0 domain\0 sender\0 defaultdelivery\0
 * virtual(0|1)\0 length\0 MESSAGE
 * </pre>
 *
 * Every field is bounded; the worker trusts only its spawner (checked by
 * the peer's uid) and still checks the lengths.
 */
public final class DeliveryWire {
    static final int MAX_FIELD = 4096;
    static final int FIELDS = 13;

    /** A decoded request: the delivery and the message length that follows. */
    record Request(LocalDelivery.Request delivery, long length) {
    }

    private DeliveryWire() {
    }

    public static void write(OutputStream out, LocalDelivery.Request r, long length) throws IOException {
        LocalUser u = r.user();
        String[] f = {"L1", u.user(), Integer.toString(u.uid()), Integer.toString(u.gid()), u.home().toString(), u.dash(),
            u.ext(), r.local(), r.domain(), r.sender(), r.defaultDelivery(), r.virtualUser() ? "1" : "0",
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
            f[i] = field(in);
        }
        if (!f[0].equals("L1")) {
            throw new IOException("unknown request version");
        }
        try {
            LocalUser u = new LocalUser(f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), Path.of(f[4]), f[5], f[6]);
            long length = Long.parseLong(f[12]);
            if (length < 0) {
                throw new NumberFormatException();
            }
            return new Request(new LocalDelivery.Request(u, f[7], f[8], f[9], f[10], f[11].equals("1")), length);
        } catch (NumberFormatException e) {
            throw new IOException("malformed request");
        }
    }

    private static String field(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        for (;;) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("request ends early");
            }
            if (c == 0) {
                return b.toString(StandardCharsets.ISO_8859_1);
            }
            if (b.size() == MAX_FIELD) {
                throw new IOException("request field too long");
            }
            b.write(c);
        }
    }
}
