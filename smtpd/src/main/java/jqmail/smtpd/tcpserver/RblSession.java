package jqmail.smtpd.tcpserver;

import java.io.IOException;
import java.util.Locale;
import jqmail.common.smtp.Reply;
import jqmail.common.smtp.SmtpIo;

/**
 * rblsmtpd's answer to a listed client: a short SMTP dialogue in which
 * greeting, HELO, EHLO, MAIL, RSET and NOOP succeed and everything else
 * (RCPT, DATA ...) gets the listing's reason, 451 or, when permanent or with
 * {@code --rbl-reject}, 553. Nothing is ever queued. The greeting is the
 * usual one: nothing tells the client which software refused it.
 */
final class RblSession {
    private final SmtpIo io;
    private final String greeting;
    private final Dnsbl.Listing listing;
    private final boolean reject;

    RblSession(SmtpIo io, String greeting, Dnsbl.Listing listing, boolean reject) {
        this.io = io;
        this.greeting = greeting;
        this.listing = listing;
        this.reject = reject;
    }

    void run() {
        try {
            io.reply(Reply.GREETING.format(greeting));
            io.flush();
            for (String line; (line = io.readLine()) != null; ) {
                String verb = (line.indexOf(' ') < 0 ? line : line.substring(0, line.indexOf(' ')))
                    .toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "HELO", "EHLO" -> io.reply(Reply.HELO.format(greeting));
                    case "MAIL", "RSET", "NOOP" -> io.reply(Reply.OK.format());
                    case "QUIT" -> {
                        io.reply(Reply.BYE.format(greeting));
                        io.flush();
                        return;
                    }
                    default -> io.reply(listing.permanent() || reject ? Reply.BLOCKED.format(listing.text())
                        : Reply.BLOCKED_TEMPORARILY.format(listing.text()));
                }
                io.flushIfIdle();
            }
        } catch (IOException e) {
            // The client left.
        }
    }
}
