package jqmail.remote.smtp;

import java.util.List;

/**
 * One whole reply of the peer, checked by {@link PeerIo}: a code from 200 to
 * 559 and its lines as they came (without line ends), every line starting
 * with the same code.
 */
record PeerReply(int code, List<String> lines, boolean toSecurity) {
    /** qmail-remote keeps at most this much of what a peer said. */
    static final int MAX_SAID = 5000;

    PeerReply {
        lines = List.copyOf(lines);
    }

    PeerReply(int code, List<String> lines) {
        this(code, lines, false);
    }

    /** The same reply, known to answer STARTTLS or AUTH. */
    PeerReply toSecurityCommand() {
        return new PeerReply(code, lines, true);
    }

    boolean positive() {
        return code / 100 == 2;
    }

    boolean temporary() {
        return code / 100 == 4;
    }

    boolean permanent() {
        return code / 100 == 5;
    }

    /**
     * The peer asks us to slow down: 421 (service closing), or a 4xx whose
     * enhanced status code (RFC 3463) is 4.7.x, as large providers answer
     * when they rate-limit a sender; but not a 4.7.x answer to STARTTLS or
     * AUTH, which is about security ("454 4.7.0 TLS not available").
     */
    boolean throttling() {
        return code == 421 || !toSecurity && temporary() && text(0).startsWith("4.7.");
    }

    /** The text after the code on each line (EHLO keywords, AUTH challenges). */
    String text(int line) {
        String l = lines.get(line);
        return l.length() > 4 ? l.substring(4) : "";
    }

    /**
     * The reply for a report: the lines joined by LF, every byte outside
     * printable ASCII (NUL, controls, 8-bit) as {@code ?}, at most
     * {@link #MAX_SAID} characters.
     */
    String said() {
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            if (b.length() > 0) {
                b.append('\n');
            }
            for (int i = 0; i < l.length() && b.length() < MAX_SAID; i++) {
                char c = l.charAt(i);
                b.append(c >= ' ' && c < 127 ? c : '?');
            }
        }
        if (b.length() > MAX_SAID) {
            b.setLength(MAX_SAID);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return said();
    }
}
