package jqmail.remote.smtp;

/**
 * When a connection asks for STARTTLS (RFC 3207) and what it accepts.
 * Whatever the policy, a failure of TLS never becomes a bounce: at worst it
 * is a temporary failure that tries the next host.
 */
public enum TlsPolicy {
    /** Never send STARTTLS. */
    NONE,
    /**
     * STARTTLS when the peer offers it, any certificate accepted (it protects
     * against listeners, not against a man in the middle). A refused
     * STARTTLS continues in plain text on the same connection; a failed
     * handshake reconnects and continues in plain text.
     */
    OPPORTUNISTIC,
    /**
     * STARTTLS must be offered and must succeed; any certificate is accepted
     * (Postfix's {@code encrypt}). Anything else is a temporary failure.
     */
    REQUIRE,
    /**
     * STARTTLS must be offered and the certificate must verify for the peer's
     * name against the JDK's trust store or the settings' verifying context;
     * anything else is a temporary failure.
     */
    REQUIRE_VERIFIED;

    /** True when mail must not go in plain text. */
    public boolean required() {
        return this == REQUIRE || this == REQUIRE_VERIFIED;
    }
}
