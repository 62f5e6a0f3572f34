package jqmail.remote.smtp;

import java.util.List;

/**
 * One whole reply of the peer, checked by {@link PeerIo}: a code from 200 to
 * 559 and its lines as they came (without line ends), every line starting
 * with the same code.
 */
record PeerReply(int code, List<String> lines) {
    /** qmail-remote keeps at most this much of what a peer said. */
    static final int MAX_SAID = 5000;

    PeerReply {
        lines = List.copyOf(lines);
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
