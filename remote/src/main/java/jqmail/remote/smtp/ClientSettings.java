package jqmail.remote.smtp;

import javax.net.ssl.SSLContext;

/**
 * How to talk to a peer.
 *
 * @param helo                        the name we give in EHLO/HELO (control/helohost); never a software name
 * @param connectTimeoutMillis        the TCP connect (qmail's timeoutconnect, 60 s)
 * @param replyTimeoutMillis          each whole reply and each buffer of output (qmail's timeoutremote,
 *                                    1200 s, which is above every RFC 5321 §4.5.3.2 minimum)
 * @param tls                         when to ask for STARTTLS and what to accept
 * @param verifyingContext            the trust for {@link TlsPolicy#REQUIRE_VERIFIED}; null for the JDK's
 * @param authUser                    AUTH user name; null (with authPassword) for no AUTH
 * @param authPassword                AUTH password; null (with authUser) for no AUTH
 * @param maxRecipientsPerTransaction the most recipients one {@code send} takes (100, RFC 5321 §4.5.3.1.8's minimum)
 */
public record ClientSettings(String helo, int connectTimeoutMillis, int replyTimeoutMillis, TlsPolicy tls,
                             SSLContext verifyingContext, String authUser, String authPassword,
                             int maxRecipientsPerTransaction) {
    public ClientSettings {
        if (helo == null || helo.isEmpty() || helo.length() > 255) {
            throw new IllegalArgumentException("helo must be 1 to 255 characters");
        }
        for (int i = 0; i < helo.length(); i++) {
            char c = helo.charAt(i);
            if (c <= ' ' || c >= 127) {
                throw new IllegalArgumentException("helo must be printable ASCII without spaces");
            }
        }
        if (connectTimeoutMillis <= 0 || replyTimeoutMillis <= 0) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (tls == null) {
            throw new IllegalArgumentException("tls policy is null");
        }
        if ((authUser == null) != (authPassword == null)) {
            throw new IllegalArgumentException("authUser and authPassword go together");
        }
        if (maxRecipientsPerTransaction < 1) {
            throw new IllegalArgumentException("maxRecipientsPerTransaction must be at least 1");
        }
    }

    /** qmail's numbers: 60 s connect, 1200 s per reply, opportunistic TLS, no AUTH, 100 recipients. */
    public static ClientSettings defaults(String helo) {
        return new ClientSettings(helo, 60_000, 1_200_000, TlsPolicy.OPPORTUNISTIC, null, null, null, 100);
    }

    public boolean authenticates() {
        return authUser != null;
    }

    /** Keeps the password out of logs and stack traces. */
    @Override
    public String toString() {
        return "ClientSettings[helo=" + helo + ", connectTimeoutMillis=" + connectTimeoutMillis
            + ", replyTimeoutMillis=" + replyTimeoutMillis + ", tls=" + tls
            + ", verifyingContext=" + (verifyingContext == null ? "default" : "given")
            + ", authUser=" + authUser + ", authPassword=" + (authPassword == null ? "null" : "(hidden)")
            + ", maxRecipientsPerTransaction=" + maxRecipientsPerTransaction + "]";
    }
}
