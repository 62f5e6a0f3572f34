package jqmail.remote.smtp;

import java.util.Locale;

/**
 * What the peer's EHLO reply offers, of what the client uses. A peer that
 * answered HELO offers nothing.
 *
 * @param sizeLimit the SIZE value (RFC 1870): -1 when SIZE is not offered, 0 when it names no limit
 */
record Capabilities(boolean pipelining, boolean eightBitMime, boolean startTls, long sizeLimit,
                    boolean authPlain, boolean authLogin) {
    static final Capabilities NONE = new Capabilities(false, false, false, -1, false, false);

    /** Reads the keyword lines after the first (which is the peer's name). */
    static Capabilities of(PeerReply ehlo) {
        boolean pipelining = false;
        boolean eightBit = false;
        boolean startTls = false;
        long size = -1;
        boolean plain = false;
        boolean login = false;
        for (int i = 1; i < ehlo.lines().size(); i++) {
            String[] words = ehlo.text(i).trim().toUpperCase(Locale.ROOT).split("[ =]+");
            switch (words[0]) {
                case "PIPELINING" -> pipelining = true;
                case "8BITMIME" -> eightBit = true;
                case "STARTTLS" -> startTls = true;
                case "SIZE" -> size = words.length > 1 ? number(words[1]) : 0;
                case "AUTH" -> {
                    // "AUTH=LOGIN PLAIN" is what old servers say; the words are the same.
                    for (int w = 1; w < words.length; w++) {
                        plain |= words[w].equals("PLAIN");
                        login |= words[w].equals("LOGIN");
                    }
                }
                default -> {
                    // Not used by this client.
                }
            }
        }
        return new Capabilities(pipelining, eightBit, startTls, size, plain, login);
    }

    /** A SIZE value we cannot read names no limit we could honour; leave the judgement to the peer. */
    private static long number(String s) {
        try {
            return Math.max(0, Long.parseLong(s));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    boolean tooBig(long messageSize) {
        return sizeLimit > 0 && messageSize > sizeLimit;
    }
}
