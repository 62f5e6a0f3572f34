/**
 * The SMTP client that the remote delivery agent uses: qmail-remote's
 * dialogue (qmail-digest §9) with what qmail left out: EHLO with
 * PIPELINING, SIZE and 8BITMIME, STARTTLS (opportunistic or verified),
 * AUTH PLAIN and LOGIN for a smarthost, many recipients per transaction and
 * several transactions per connection.
 *
 * <p>{@link jqmail.remote.smtp.SmtpConnection} is the whole interface:
 * {@code open}, {@code send} (one result per recipient, qmail's K/Z/D),
 * {@code quit}. Inside: {@code Opening} (greeting to AUTH),
 * {@code Transaction} (MAIL to the final reply), {@code PeerIo} (bounded,
 * timed replies and watched writes), {@code BodyEncoder} (the stored message
 * to SMTP's dot-stuffed CRLF text), {@code MailPath}, {@code Capabilities},
 * {@code Tls}, {@code Sasl}.
 *
 * <p>SECURITY: everything the peer says is untrusted: replies are bounded in
 * length, lines and time, and a malformed one ends the connection; no peer
 * byte reaches a report unless printable ASCII. What we send cannot end the
 * peer's data early (no SMTP smuggling) and cannot carry CR or LF into a
 * command. Credentials go only over TLS or to loopback. EHLO names only the
 * caller's helo, never software or version.
 */
package jqmail.remote.smtp;
