/**
 * NAME
 * <p>tcpserver - accept SMTP, submission and POP3 connections; tcprules - compile rules for it
 *
 * <p>SYNOPSIS
 * <pre>
 * tcpserver [-1vqQX] [-c n] [-b n] [-x rules.cdb] [-l name] [-B banner]
 *           [--per-ip n] [--rbl base]... [--rbl-reject] [--inherited] [--home DIR]
 *           [--submission | --smtps | --pop3 | --pop3s] host port [program [arg ...]]
 * tcprules rules.cdb rules.tmp &lt; rules.txt
 * </pre>
 *
 * <p>DESCRIPTION
 * <p>ucspi-tcp's tcpserver for jqmail. It listens on host and port ("0" is
 * every address, IPv6 and IPv4), or with {@code --inherited} on a listening
 * socket handed over as descriptor 0 (how port 25 is used without a root
 * JVM). For each connection it sets PROTO, TCPLOCALIP, TCPLOCALPORT,
 * TCPREMOTEIP, TCPREMOTEPORT (and TCPLOCALHOST with {@code -l}) and the
 * variables of the matching rule, then runs the connection: without a
 * program, or with {@code qmail-smtpd}, as an SMTP session on a thread of
 * this JVM (no JVM per connection); with another program, as that program
 * with the connection on its stdin and stdout. A session's failure, timeout
 * or byte cap ends that session alone.
 *
 * <p>{@code -c n}: at most n connections at once (40); beyond that the
 * kernel's backlog ({@code -b}, 128) holds new ones until a session ends.
 * {@code --per-ip n}: at most n at once from one address (20); the next gets
 * 421. {@code -x}: the rules, reread when they change; a missing file denies
 * everyone unless {@code -X}. {@code --rbl base}: rblsmtpd's DNS blocklist
 * check (the resolver of JQMAIL_DNS=ip[:port] or the system's); a listed
 * client gets a short dialogue in which RCPT and DATA are refused with 451,
 * or 553 with {@code --rbl-reject} or a "-text" RBLSMTPD. A rule's RBLSMTPD
 * overrides the lookup: empty lets the client in. {@code -1} prints the port,
 * {@code -v} logs each connection, {@code -q} only alerts. ucspi-tcp's
 * {@code -h -H -p -P -r -R -t} are accepted and do nothing: no reverse DNS
 * and no ident lookup is ever made, so {@code =host} rules never match.
 * {@code -u -g} are refused: privileges are dropped before the JVM starts.
 *
 * <p>TLS and logins. With control/servercert.pem, SMTP offers STARTTLS
 * (RFC 3207; what a client pipelined behind it is dropped). {@code
 * --submission} makes the sessions a submission service (port 587): AUTH
 * PLAIN and LOGIN (RFC 4954) are offered once TLS is up, never before, and
 * MAIL needs a successful AUTH, after which the client may relay and the
 * Received line says ESMTPSA. {@code --smtps} is the same with TLS from
 * the first byte (465). Passwords are checked by the auth service (authd)
 * over run/auth/auth.sock; a failure costs the client control/authfaildelay
 * seconds, and an address with control/authfailures recent failures is
 * told 454 without a check. {@code --pop3} (program {@code qmail-popup})
 * runs the POP3 front instead: greeting, CAPA, STLS (RFC 2595), USER and
 * PASS, which are taken only over TLS or from a loopback address; {@code
 * --pop3s} starts with TLS (995). A PASS goes, with its USER, to
 * qmail-lspawn's run/lspawn/pop3.sock, which asks authd and starts
 * qmail-pop3d as the mailbox's account; the front then relays the session
 * until either side ends. A refused login may be retried; 20 refused
 * commands end the connection; lines over 2048 bytes are refused whole.
 *
 * <p>tcprules compiles lines {@code address:allow|deny[,VAR="value"]...}
 * into a cdb that ucspi-tcp's tcpserver and tcprulescheck also read (and
 * this tcpserver reads theirs). Addresses: {@code 1.2.3.4}, a prefix
 * {@code 1.2.}, a range {@code 1.2.3.10-20}, CIDR {@code 10.0.0.0/8},
 * IPv6 in compact form {@code 2001:db8::1} or CIDR {@code 2001:db8::/32},
 * and the empty address. A bad line leaves the old cdb in place (exit 100).
 * {@code jqmail start} compiles control/tcp.smtp into control/tcp.smtp.cdb
 * and runs tcpserver with control/concurrencyincoming (-c),
 * control/concurrencyincomingip (--per-ip) and control/dnsbls (--rbl).
 *
 * <p>EXIT STATUS
 * <p>100 usage; 111 cannot listen. tcprules: 0, 100 bad rules, 111 cannot write.
 *
 * <p>SIGNALS
 * <p>SIGTERM stops accepting and exits; a message not yet acknowledged was
 * never committed. SIGHUP and SIGALRM are ignored: rules and control files
 * are read per connection anyway.
 *
 * <p>SECURITY
 * <p>Runs as {@code jqmaild}. Port 25 comes from an ambient
 * CAP_NET_BIND_SERVICE or an inherited socket, never from a root JVM. The
 * rules file and the control files are the administrator's; what clients
 * send is handled by the SMTP session's bounds. It reads the TLS key but
 * no password data: logins are decided by authd (jqmailp), and a POP3
 * session is started by qmail-lspawn only after it asked authd itself, so
 * a subverted tcpserver can read no mailbox it has no password for.
 */
package jqmail.smtpd.tcpserver;
