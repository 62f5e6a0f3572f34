package jqmail.common.smtp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jqmail.common.Accounts;
import jqmail.common.Home;

/**
 * One fuzz input through the command and address parsers: the bytes are a
 * whole client side of an SMTP session, an argument for MAIL/RCPT, and a
 * DATA stream. Whatever they are, nothing may throw but the parsers' own
 * refusals, every reply must be a well-formed line, and stored data never
 * holds a CRLF. Used by the seeded test and by the Jazzer target.
 */
final class SmtpFuzz {
    private static final Watchdogs WATCHDOGS = new Watchdogs();
    private static Home home;
    private static SmtpSettings settings;
    private static Accounts accounts;

    private SmtpFuzz() {
    }

    static synchronized void init() throws IOException {
        if (home != null) {
            return;
        }
        Path dir = Files.createTempDirectory("smtp-fuzz");
        Files.createDirectories(dir.resolve("control"));
        Files.createDirectories(dir.resolve("users"));
        Files.writeString(dir.resolve("control/me"), "fuzz.example\n");
        Files.writeString(dir.resolve("users/assign"), "=alice:a:1:1:/x:::\n.\n");
        home = new Home(dir);
        settings = SmtpSettings.read(home.controlFiles(), null);
        accounts = Accounts.load(home.users().resolve("assign"), dir.resolve("no-passwd"), dir.resolve("alias"));
    }

    static void one(byte[] input) throws IOException {
        init();
        String text = new String(input, StandardCharsets.ISO_8859_1);
        for (String kw : new String[] {"FROM", "TO"}) {
            try {
                String a = SmtpPath.parse(text, kw).address();
                for (int i = 0; i < a.length(); i++) {
                    if (a.charAt(i) < 32 || a.charAt(i) > 126) {
                        throw new AssertionError("parsed address holds byte " + (int) a.charAt(i));
                    }
                }
                if (a.length() > SmtpPath.MAX_PATH) {
                    throw new AssertionError("parsed address too long");
                }
            } catch (SmtpPath.Invalid e) {
                // A refusal is a fine answer.
            }
        }
        session(input);
        data(input);
    }

    private static void session(byte[] input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Watchdogs.Watchdog w = WATCHDOGS.watchdog(() -> { })) {
            SmtpIo io = new SmtpIo(new ByteArrayInputStream(input), out, w, 60_000, 1L << 30);
            new SmtpSession(home, settings, accounts,
                new SmtpSession.Client("192.0.2.1", "192.0.2.2", null, null, null, null), io).run();
        }
        String replies = out.toString(StandardCharsets.ISO_8859_1);
        if (!replies.endsWith("\r\n")) {
            throw new AssertionError("replies do not end with CRLF");
        }
        for (String line : replies.split("\r\n")) {
            if (!line.matches("[2-5]\\d\\d[ -][ -~]*")) {
                throw new AssertionError("malformed reply line: " + line);
            }
        }
    }

    /** The data ends where, and only where, the input has CRLF.CRLF (or starts with ".CRLF"). */
    private static void data(byte[] input) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(input);
        try (Watchdogs.Watchdog w = WATCHDOGS.watchdog(() -> { })) {
            SmtpIo io = new SmtpIo(in, new ByteArrayOutputStream(), w, 60_000, 1L << 30);
            new DataReader(io, OutputStreamSink.NULL, 1 << 20, new byte[0]).read();
            StringBuilder rest = new StringBuilder();
            for (int c; (c = io.read()) >= 0; ) {
                rest.append((char) c);
            }
            String all = new String(input, StandardCharsets.ISO_8859_1);
            String consumed = all.substring(0, all.length() - rest.length());
            if (!(consumed.equals(".\r\n") || consumed.endsWith("\r\n.\r\n"))) {
                throw new AssertionError("data ended without CRLF.CRLF: " + consumed.replace("\r", "\\r")
                    .replace("\n", "\\n"));
            }
            int end = all.startsWith(".\r\n") ? 3 : all.indexOf("\r\n.\r\n") + 5;
            if (consumed.length() != end) {
                throw new AssertionError("data did not end at the first CRLF.CRLF");
            }
        } catch (java.io.EOFException e) {
            // Input without its end: the client "left".
        }
    }

    /** An output that keeps nothing. */
    private static final class OutputStreamSink {
        static final java.io.OutputStream NULL = java.io.OutputStream.nullOutputStream();
    }
}
