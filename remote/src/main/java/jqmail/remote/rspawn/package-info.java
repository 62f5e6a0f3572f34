/**
 * NAME
 * <p>qmail-rspawn, qmail-remote - deliver mail to other hosts over SMTP
 *
 * <p>SYNOPSIS
 * <pre>
 * qmail-rspawn --home DIR
 * qmail-remote host sender recip [recip ...]
 * </pre>
 *
 * <p>DESCRIPTION
 * <p>The remote channel of qmail-send: one long-lived process (no JVM per
 * delivery) that takes deliveries on {@code run/rspawn/rspawn.sock} in the
 * spawners' protocol (requests {@code SLOT\0ID\0SENDER\0RECIPIENT\0},
 * reports {@code SLOT\0LETTER text\0}; only qmail-send's uid is answered)
 * and runs each as a task on a thread of its own, as many at once as
 * qmail-send starts ({@code concurrencyremote}).
 *
 * <p>Recipients of one message for one domain with one envelope sender that
 * arrive together go in one SMTP transaction, at most
 * {@code control/maxrcptremote} (100) each; a VERP sender differs per
 * recipient, so VERP mail goes one recipient per transaction. At most
 * {@code control/concurrencydestination} (20) transactions run at once to
 * one domain. A connection that ends a transaction in good order is kept
 * for five seconds for the next message to the same address.
 *
 * <p>Routing: {@code control/smtproutes} (qmail's syntax, with ports; an
 * empty domain names a smarthost), else the domain's MX records by
 * preference (equal preferences in random order), else its own addresses; a
 * null MX fails permanently, a domain that does not exist fails
 * permanently, a DNS server that fails or times out defers. DNS servers
 * come from {@code control/dnsservers}, else /etc/resolv.conf. No reverse
 * lookups are ever made. Each host's addresses (IPv6 and IPv4) are tried in
 * turn after a connection failure or a 4xx/5xx greeting. An address whose
 * connection timed out is skipped for a while by every delivery
 * (qmail-tcpto's rule; the table is {@code run/rspawn/tcpto}, shown by
 * {@code jqmail status}); when every address is down they are tried anyway.
 *
 * <p>The SMTP client: EHLO (HELO when refused; the name is
 * {@code control/helohost}, else {@code me}), PIPELINING, SIZE (a message
 * the peer's SIZE refuses fails permanently without being sent), 8BITMIME,
 * STARTTLS when offered (opportunistic; the version and cipher are logged),
 * RFC 5321 transparency with every lone CR and lone LF sent as CRLF so
 * nothing in a message can end the peer's DATA early. Timeouts:
 * {@code control/timeoutconnect} (60 s) and {@code control/timeoutremote}
 * (1200 s) per reply. Per recipient: accepted and then the data accepted is
 * delivered; a 4xx defers only that recipient, a 5xx fails only that one; a
 * connection lost after the data and before its reply defers (the peer may
 * have the message: a possible duplicate, never a loss).
 *
 * <p>TLS policy per destination: {@code control/tlsdestinations}, lines
 * {@code destination:policy[:cafile]} looked up as smtproutes is (the
 * domain, its {@code .suffix}es, then the empty key); policies {@code may}
 * (the default), {@code none} (never STARTTLS), {@code encrypt} (STARTTLS
 * required, any certificate) and {@code verify} (STARTTLS required, the
 * certificate must chain to the JDK's trust store, or to the PEM file
 * {@code cafile}, and name the host connected to). A required TLS that
 * fails defers the mail; it never goes in plain text.
 *
 * <p>Smarthost login: {@code control/relayauth}, lines
 * {@code relay:user:password} with the relay as smtproutes names it; AUTH
 * PLAIN (else LOGIN) to that relay, only over TLS or on loopback. The file
 * must be readable by its owner alone ({@code chmod 600}); otherwise
 * qmail-rspawn refuses to start and logs why.
 *
 * <p>A destination (the domain, or the relay) that answers 421, or a 4xx
 * with an enhanced code 4.7.x (rate limiting), is not connected to for a
 * minute, doubling with each further such answer up to an hour; its mail
 * meanwhile is deferred at once and returns on qmail-send's retry schedule.
 *
 * <p>SIGHUP rereads the control files; with {@code run/rspawn/tcpok}
 * present (jqmail tcpok) it also forgets every downed host.
 *
 * <p>qmail-remote is qmail's one-message interface to the same delivery
 * (the same control files, routing, downed hosts and SMTP client), for
 * scripts and for callers of qmail's program; the home comes from
 * {@code JQMAIL_HOME}. It routes {@code host} (qmail-send passes the part
 * after the recipient's last {@code @}) and delivers the message on stdin
 * from {@code sender} to every {@code recip} in one transaction, or in
 * transactions of {@code control/maxrcptremote} over one connection. A
 * seekable stdin is read in place, from its first byte; anything else is
 * first copied to an unlinked temporary file, since the next host needs
 * the message again. It reads {@code run/rspawn/tcpto} to skip the hosts
 * qmail-rspawn knows to be down, and never writes it.
 *
 * <p>On stdout, as qmail's, each report ending in NUL: one per recipient,
 * in argument order, the letter of qmail-rspawn's outcome for it:
 * {@code r} (the peer took the recipient and the message; no text, as
 * qmail's), {@code h} (failed permanently) or {@code s} (failed
 * temporarily) followed by why; then one for the message: {@code K} when
 * any recipient got {@code r} ({@code 192.0.2.1 accepted message.} and the
 * peer's reply), {@code D} when every one got {@code h}, else {@code Z},
 * followed by the text of the first recipient with that letter. When it cannot read the
 * home, the control files or stdin it writes the message report alone,
 * {@code Z}. Unlike qmail's, it sends a message whose last line lacks its
 * LF (with CRLF added, as qmail-rspawn does) instead of refusing it, and it
 * speaks ESMTP as qmail-rspawn does.
 *
 * <p>EXIT STATUS
 * <p>qmail-rspawn: 100 usage; 111 when it cannot start. qmail-remote: 0
 * once its arguments are valid, whatever became of the message (the
 * reports say); 100 for too few arguments or an address with CR, LF or
 * NUL; 111 when stdout cannot be written. Errors are one line on stderr.
 *
 * <p>SECURITY
 * <p>Runs as {@code jqmailr} in a system home: no privilege; it reads queue
 * files through its group and writes only {@code run/rspawn/}. The
 * relay passwords in {@code control/relayauth} are never logged. Replies from
 * peers are parsed with length limits and never reach a shell.
 * qmail-remote runs as its caller, with no privilege, and writes only its
 * unlinked temporary file (in {@code java.io.tmpdir}, mode 0600).
 */
package jqmail.remote.rspawn;
