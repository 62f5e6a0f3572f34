/**
 * NAME
 * <p>qmail-smtpd - receive mail via SMTP
 *
 * <p>SYNOPSIS
 * <pre>qmail-smtpd</pre>
 *
 * <p>DESCRIPTION
 * <p>One SMTP session on stdin and stdout, for ucspi-tcp's tcpserver, inetd
 * or systemd socket activation. It reads TCPREMOTEIP, TCPLOCALIP,
 * TCPREMOTEHOST, RELAYCLIENT, DATABYTES and QMAILQUEUE from its environment
 * and the home from JQMAIL_HOME. jqmail's own {@code tcpserver} runs the same
 * session inside its JVM instead of one process per connection.
 *
 * <p>The session speaks RFC 5321: EHLO, HELO, MAIL, RCPT, DATA, RSET, NOOP,
 * QUIT, VRFY (252, telling nothing), HELP, with PIPELINING, 8BITMIME, SIZE
 * (the databytes limit; SIZE= is checked at MAIL, the real size after the
 * data: 552) and ENHANCEDSTATUSCODES. The greeting is {@code 220 GREETING
 * ESMTP}; no reply names software or a version, and no reverse DNS lookup is
 * ever made.
 *
 * <p>STARTTLS (RFC 3207) is offered by jqmail's tcpserver when
 * {@code control/servercert.pem} holds a PKCS#8 key and its certificate
 * chain (jqmail setup makes a self-signed one for {@code me}; the file is
 * read again when the control directory changes): TLS 1.2 and 1.3 only, the
 * JDK's cipher suites. After the handshake the session starts over (EHLO
 * again, STARTTLS no longer offered, a second one gets 503), and whatever
 * the client pipelined behind STARTTLS in plain text is dropped, never
 * executed (CVE-2011-0411). A failed or stalled handshake (timeoutsmtpd)
 * ends that session only. The Received line then says
 * {@code with ESMTPS (TLSv1.3 CIPHER)}. qmail-smtpd on stdin/stdout, and
 * sendmail -bs, do not offer it.
 *
 * <p>Recipients: a domain must be in rcpthosts or morercpthosts unless
 * RELAYCLIENT is set, in which case its value is appended to every
 * recipient (qmail's rule). Without rcpthosts, only the locals and the
 * virtual domains are accepted: never an open relay. A recipient in a local
 * domain must have an account (users/assign, the passwd file, the alias
 * user's .qmail files; extensions of an account are fine); otherwise
 * control/unknownrcpt says: {@code reject} (550, the default),
 * {@code discard} (accept, deliver nothing) or {@code bounce}. postmaster is
 * always accepted. An address literal of one of this host's addresses stands
 * for control/localiphost. A sender in badmailfrom gets 553 at every RCPT.
 *
 * <p>DATA: before 354 the queue daemon is asked whether it takes mail (a full
 * disk is a 452 then, not a failure after the data). Only CRLF.CRLF ends the
 * data. Of the two behaviours DESIGN §7 allows, this one normalizes: a bare
 * LF ends a line of content (Postfix's "normalize"); a bare CR is never a
 * line end and is kept. A dot line framed by a bare LF or CR is content, so
 * nothing after it is ever read as a command (the SMTP smuggling attacks of
 * December 2023). Lines are stored with LF ends and dots unstuffed. 100 or
 * more Received/Delivered-To header lines get 554 and nothing is queued. The
 * message streams into the queue daemon as it arrives (memory does not grow
 * with its size), or into the program named by QMAILQUEUE; 250 is sent only
 * after the queue committed it, and a client that leaves mid-DATA leaves
 * nothing queued. The trace line is qmail's:
 * <pre>
 * Received: from unknown (HELO client.example) (192.0.2.1)
 *   by mx.example with ESMTP; 22 Nov 2026 02:31:02 -0000
 * </pre>
 *
 * <p>Limits: each read and each write has control/timeoutsmtpd seconds
 * (1200; then 451 and the end); command lines up to 2048 bytes (longer: 500);
 * maxrcpt recipients (1000; then 452); 20 refused commands end the session
 * (421); a session may send ten times the largest message in all.
 *
 * <p>CONTROL FILES
 * <p>me, smtpgreeting, databytes, timeoutsmtpd, rcpthosts, morercpthosts,
 * locals, virtualdomains, badmailfrom, unknownrcpt, localiphost, maxrcpt,
 * read anew for each connection (see {@link jqmail.common.smtp.SmtpSettings}).
 *
 * <p>EXIT STATUS
 * <p>0 after the session; 1 when the control files cannot be read (after a 421).
 *
 * <p>SECURITY
 * <p>Runs as {@code jqmaild}, which cannot read or write the queue: it
 * injects through the queue daemon's socket, which learns its uid from the
 * kernel. Every byte from the client is bounded: line length, address
 * syntax and length (900 bytes, no control or 8-bit bytes), parameter count,
 * session bytes, timeouts. Nothing the client sends reaches a reply
 * unfiltered, and addresses cannot hold CR, LF or NUL by construction.
 */
package jqmail.smtpd.qmailsmtpd;
