package jqmail.local.pop3d;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import jqmail.common.smtp.Watchdogs.Watchdog;
import jqmail.local.pop3d.Mailbox.Message;

/**
 * One POP3 session in the TRANSACTION state (RFC 1939), for a client that
 * has logged in: from the {@code +OK} that answers its PASS to QUIT, the
 * end of its input, or too many errors. Only QUIT changes the Maildir.
 */
final class Pop3Session {
    /** The session ends at the 20th command that earned an error. */
    static final int MAX_ERRORS = 20;
    /** What CAPA lists after login: USER and SASL belong to the front, and IMPLEMENTATION is never said. */
    static final List<String> CAPABILITIES = List.of("TOP", "UIDL", "RESP-CODES", "PIPELINING");
    static final int EXIT_DONE = 0;
    static final int EXIT_TEMPORARY = 111;
    private static final byte[] CRLF = {'\r', '\n'};

    private final Mailbox box;
    private final CommandReader reader;
    private final OutputStream out;
    private int errors;
    private long last;
    private boolean over;
    private int exitCode = EXIT_DONE;

    /** A message that exists but cannot be read: the command gets {@code -ERR [SYS/TEMP]}. */
    private static final class Unreadable extends Exception {
        final long number;

        Unreadable(long number, IOException cause) {
            super(cause.toString(), cause);
            this.number = number;
        }
    }

    /** A write to the client failed: it is gone, and the session ends as if it had hung up. */
    private static final class ClientGone extends IOException {
        ClientGone(IOException cause) {
            super(cause);
        }
    }

    /**
     * {@code idle} is armed for {@code idleMillis} during every read from and
     * write to the client; what it does on expiry (end the process) is the
     * caller's.
     */
    Pop3Session(Mailbox box, InputStream in, OutputStream out, Watchdog idle, long idleMillis) {
        this.box = box;
        this.out = new BufferedOutputStream(new ClientOutput(out, idle, idleMillis), 64 * 1024);
        this.reader = new CommandReader(in, new CommandReader.Blocking() {
            @Override
            public void before() throws IOException {
                Pop3Session.this.out.flush();
                idle.arm(idleMillis);
            }

            @Override
            public void after() {
                idle.disarm();
            }
        });
    }

    /**
     * Runs the session; returns the exit code: 0 once it is over (QUIT, the
     * client gone, too many errors), 111 when QUIT could not remove a
     * deleted message or a message could not be read to its end.
     */
    int run() {
        try {
            say(Reply.LOGGED_IN.text);
            while (!over) {
                CommandReader.Line line = reader.next();
                switch (line.kind()) {
                    case END -> over = true;
                    case TOO_LONG -> error(Reply.LINE_TOO_LONG, 0);
                    case NOT_ASCII -> error(Reply.NOT_ASCII, 0);
                    case COMMAND -> command(line.text());
                }
            }
            out.flush();
            return exitCode;
        } catch (ClientGone e) {
            return EXIT_DONE;
        } catch (IOException e) {
            System.err.println("qmail-pop3d: unable to read a message: " + e.getMessage());
            return EXIT_TEMPORARY;
        }
    }

    private void command(String text) throws IOException {
        String[] w = text.strip().split(" +");
        Verb v = Verb.of(w[0]);
        int arguments = w.length - 1;
        if (v == null) {
            error(Reply.UNKNOWN, 0);
        } else if (v.state == Verb.State.AUTHORIZATION) {
            error(Reply.AUTHENTICATED, 0);
        } else if (arguments < v.minArguments || arguments > v.maxArguments) {
            error(Reply.SYNTAX, 0);
        } else {
            try {
                transaction(v, w);
            } catch (Unreadable e) {
                System.err.println("qmail-pop3d: unable to read message " + e.number + ": " + e.getMessage());
                error(Reply.UNREADABLE, e.number);
            }
        }
    }

    private void transaction(Verb v, String[] w) throws IOException, Unreadable {
        switch (v) {
            case STAT -> stat();
            case LIST, UIDL -> listing(v, w.length > 1 ? w[1] : null);
            case RETR -> send(w[1], Transmission.WHOLE);
            case TOP -> top(w[1], w[2]);
            case DELE -> dele(w[1]);
            case RSET -> {
                box.reset();
                last = 0;
                say(Reply.OK.text);
            }
            case NOOP -> say(Reply.OK.text);
            case LAST -> say("+OK " + last);
            case CAPA -> multiline(Reply.CAPABILITIES.text, CAPABILITIES);
            case QUIT -> quit();
            default -> throw new IllegalStateException("not a TRANSACTION command: " + v);
        }
    }

    /** STAT counts the messages not marked deleted (qmail counted them all) and their POP3 sizes. */
    private void stat() throws IOException, Unreadable {
        long count = 0;
        long total = 0;
        for (Message m : box.messages()) {
            if (!m.deleted()) {
                count++;
                total += size(m);
            }
        }
        say("+OK " + count + " " + total);
    }

    /** LIST and UIDL, for one message or (every value read before the +OK) for all. */
    private void listing(Verb v, String argument) throws IOException, Unreadable {
        if (argument != null) {
            Message m = addressed(argument);
            if (m != null) {
                say("+OK " + m.number + " " + value(v, m));
            }
            return;
        }
        List<String> lines = new ArrayList<>();
        long total = 0;
        for (Message m : box.messages()) {
            if (!m.deleted()) {
                lines.add(m.number + " " + value(v, m));
                total += v == Verb.LIST ? size(m) : 0;
            }
        }
        multiline(v == Verb.LIST ? "+OK " + lines.size() + " messages (" + total + " octets)" : Reply.OK.text, lines);
    }

    private String value(Verb v, Message m) throws Unreadable {
        return v == Verb.UIDL ? m.uid : Long.toString(size(m));
    }

    private void top(String message, String lines) throws IOException, Unreadable {
        long k = number(lines);
        if (k < 0) {
            error(Reply.SYNTAX, 0);
        } else {
            send(message, k);
        }
    }

    /** RETR and TOP: the message streamed from its file, CRLF and dot-stuffed. */
    private void send(String argument, long bodyLines) throws IOException, Unreadable {
        Message m = addressed(argument);
        if (m == null) {
            return;
        }
        long size = size(m);
        InputStream in;
        try {
            in = box.open(m);
        } catch (NoSuchFileException e) {
            error(Reply.GONE, m.number);
            return;
        } catch (IOException e) {
            throw new Unreadable(m.number, e);
        }
        try (in) {
            say(bodyLines == Transmission.WHOLE ? "+OK " + size + " octets" : Reply.OK.text);
            Transmission.send(in, out, bodyLines);
            say(".");
        }
        last = Math.max(last, m.number);
    }

    private void dele(String argument) throws IOException {
        Message m = addressed(argument);
        if (m != null) {
            box.delete(m);
            say(Reply.OK.text);
        }
    }

    private void quit() throws IOException {
        int failed = box.commit();
        if (failed == 0) {
            say(Reply.BYE.text);
        } else {
            System.err.println("qmail-pop3d: unable to remove " + failed + " deleted messages");
            say(Reply.NOT_REMOVED.text);
            exitCode = EXIT_TEMPORARY;
        }
        over = true;
    }

    /** The message an argument names, or null once the client has been told why there is none. */
    private Message addressed(String argument) throws IOException {
        long n = number(argument);
        Message m = box.get(n);
        if (n < 0) {
            error(Reply.SYNTAX, 0);
        } else if (m == null) {
            error(Reply.NO_SUCH_MESSAGE, 0);
        } else if (m.deleted()) {
            error(Reply.DELETED, n);
        } else {
            return m;
        }
        return null;
    }

    private long size(Message m) throws Unreadable {
        try {
            return box.size(m);
        } catch (IOException e) {
            throw new Unreadable(m.number, e);
        }
    }

    /** A decimal argument; -1 when it is not one. More digits than a long holds count as the largest. */
    static long number(String s) {
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return s.length() > 18 ? Long.MAX_VALUE : Long.parseLong(s);
    }

    /** An error reply; the one that reaches the limit is replaced by the last the client hears. */
    private void error(Reply r, long number) throws IOException {
        if (r.clientError() && ++errors >= MAX_ERRORS) {
            say(Reply.TOO_MANY_ERRORS.text);
            over = true;
        } else {
            say(r.format(number));
        }
    }

    private void multiline(String first, List<String> lines) throws IOException {
        say(first);
        for (String l : lines) {
            say(l);
        }
        say(".");
    }

    private void say(String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.US_ASCII));
        out.write(CRLF);
    }

    /** The client's side of stdout: every write under the idle timer, and a failure is ClientGone. */
    private static final class ClientOutput extends OutputStream {
        private final OutputStream out;
        private final Watchdog idle;
        private final long idleMillis;

        ClientOutput(OutputStream out, Watchdog idle, long idleMillis) {
            this.out = out;
            this.idle = idle;
            this.idleMillis = idleMillis;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            timed(() -> out.write(b, off, len));
        }

        @Override
        public void flush() throws IOException {
            timed(out::flush);
        }

        private interface Write {
            void run() throws IOException;
        }

        private void timed(Write w) throws IOException {
            idle.arm(idleMillis);
            try {
                w.run();
            } catch (IOException e) {
                throw new ClientGone(e);
            } finally {
                idle.disarm();
            }
        }
    }
}
