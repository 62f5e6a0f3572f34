package jqmail.common;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import jqmail.common.smtp.Authenticator;

/**
 * The auth service's protocol on {@code run/auth/auth.sock}, one request per
 * connection. The request is four NUL-terminated UTF-8 fields:
 * <pre>
 * SERVICE \0 USER \0 PASSWORD \0 REMOTEIP \0
 * </pre>
 * (service "smtp" or "pop3"; each field at most {@link #MAX_FIELD} bytes).
 * The answer is one line: {@code +ACCOUNT} accepted, as that account;
 * {@code -} refused; {@code L} refused unchecked, too many recent failures
 * from that address; {@code !} trouble checking.
 */
public final class AuthWire {
    public static final int MAX_FIELD = 1024;
    public static final int FIELDS = 4;

    private AuthWire() {
    }

    public static byte[] request(String service, String user, String password, String remoteIp) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        for (String f : new String[] {service, user, password, remoteIp}) {
            b.writeBytes(f.getBytes(StandardCharsets.UTF_8));
            b.write(0);
        }
        return b.toByteArray();
    }

    /** The four fields, or null when the peer sent something else (too long, too few, not UTF-8). */
    public static String[] readRequest(InputStream in) throws IOException {
        String[] f = new String[FIELDS];
        for (int i = 0; i < FIELDS; i++) {
            ByteArrayOutputStream b = new ByteArrayOutputStream(64);
            for (int c; (c = in.read()) != 0; ) {
                if (c < 0 || b.size() >= MAX_FIELD) {
                    return null;
                }
                b.write(c);
            }
            f[i] = b.toString(StandardCharsets.UTF_8);
        }
        return f;
    }

    public static String answer(Authenticator.Result r) {
        return switch (r.verdict()) {
            case OK -> "+" + r.account() + "\n";
            case BAD -> "-\n";
            case LIMITED -> "L\n";
            case TEMPORARY -> "!\n";
        };
    }

    /** The service's answer line (without its newline); anything unexpected is trouble. */
    public static Authenticator.Result parseAnswer(String line) {
        if (line == null || line.isEmpty()) {
            return Authenticator.Result.of(Authenticator.Verdict.TEMPORARY);
        }
        return switch (line.charAt(0)) {
            case '+' -> line.length() > 1 ? new Authenticator.Result(Authenticator.Verdict.OK, line.substring(1))
                : Authenticator.Result.of(Authenticator.Verdict.TEMPORARY);
            case '-' -> Authenticator.Result.of(Authenticator.Verdict.BAD);
            case 'L' -> Authenticator.Result.of(Authenticator.Verdict.LIMITED);
            default -> Authenticator.Result.of(Authenticator.Verdict.TEMPORARY);
        };
    }
}
