package jqmail.common.smtp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * The server's side of the two SASL mechanisms a mail client uses: PLAIN
 * (RFC 4616: authzid NUL authcid NUL password, in one response) and LOGIN
 * (draft-murchison-sasl-login: "Username:" then "Password:"), either with
 * RFC 4954's initial response on the AUTH line or after a 334 challenge.
 * Responses are strict base64 of UTF-8; "*" cancels.
 */
final class Sasl {
    /** Longest user name and password taken, in bytes: far beyond real ones, short of a memory sink. */
    static final int MAX_FIELD = 1024;

    record Credentials(String user, String password) {
    }

    /** The exchange ended without credentials; the reply says why. */
    static final class Refusal extends Exception {
        private final Reply reply;

        Refusal(Reply reply) {
            super(null, null, false, false);
            this.reply = reply;
        }

        Reply reply() {
            return reply;
        }
    }

    private Sasl() {
    }

    /** {@code arg} is what follows AUTH: the mechanism and perhaps an initial response. */
    static Credentials read(String arg, SmtpIo io) throws IOException, Refusal {
        int sp = arg.indexOf(' ');
        String mechanism = (sp < 0 ? arg : arg.substring(0, sp)).toUpperCase(Locale.ROOT);
        String initial = sp < 0 ? null : arg.substring(sp + 1).strip();
        switch (mechanism) {
            case "PLAIN" -> {
                String[] f = split(decode(initial != null ? initial : challenge(io, "")));
                if (f.length != 3 || !f[0].isEmpty() && !f[0].equals(f[1])) {
                    throw new Refusal(Reply.AUTH_FAILED);   // no acting for another user
                }
                return credentials(f[1], f[2]);
            }
            case "LOGIN" -> {
                String user = decode(initial != null ? initial : challenge(io, "Username:"));
                String password = decode(challenge(io, "Password:"));
                return credentials(user, password);
            }
            case "" -> throw new Refusal(Reply.SYNTAX);
            default -> throw new Refusal(Reply.AUTH_MECHANISM);
        }
    }

    private static Credentials credentials(String user, String password) throws Refusal {
        if (user.isEmpty() || user.length() > MAX_FIELD || password.length() > MAX_FIELD || user.indexOf('\0') >= 0
            || password.indexOf('\0') >= 0) {
            throw new Refusal(Reply.AUTH_FAILED);
        }
        return new Credentials(user, password);
    }

    /** 334 with the prompt in base64, and the client's response line. */
    private static String challenge(SmtpIo io, String prompt) throws IOException, Refusal {
        io.reply(Reply.AUTH_CHALLENGE.format(Base64.getEncoder().encodeToString(prompt.getBytes(StandardCharsets.US_ASCII))));
        io.flush();
        String line;
        try {
            line = io.readLine();
        } catch (SmtpIo.LineTooLongException e) {
            throw new Refusal(Reply.AUTH_UNDECODABLE);
        }
        if (line == null) {
            throw new java.io.EOFException();
        }
        if (line.strip().equals("*")) {
            throw new Refusal(Reply.AUTH_ABORTED);
        }
        return line.strip();
    }

    /** "=" is the empty initial response (RFC 4954); anything else must be whole, valid base64 of UTF-8. */
    private static String decode(String b64) throws Refusal {
        if (b64.equals("=")) {
            return "";
        }
        try {
            byte[] raw = Base64.getDecoder().decode(b64);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw new Refusal(Reply.AUTH_UNDECODABLE);
        }
    }

    private static String[] split(String plain) {
        return plain.split("\0", -1);
    }
}
