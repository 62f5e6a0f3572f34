/**
 * NAME
 * <p>authd - the auth service: checks passwords for SMTP AUTH and POP3
 *
 * <p>SYNOPSIS
 * <pre>
 * authd [--home DIR]
 * </pre>
 *
 * <p>DESCRIPTION
 * <p>authd listens on {@code run/auth/auth.sock} and serves only
 * tcpserver's account (jqmaild: SMTP AUTH on the submission ports) and root
 * (qmail-lspawn, for POP3 logins); the kernel says who connects. Each
 * connection carries one request, four NUL-terminated UTF-8 fields of at
 * most 1024 bytes, {@code SERVICE\0USER\0PASSWORD\0ADDRESS\0}, and gets one
 * line: {@code +ACCOUNT} (accepted, as that account), {@code -} (refused),
 * {@code L} (refused unchecked: too many recent failures from ADDRESS) or
 * {@code !} (trouble: try later).
 *
 * <p>A name is checked, in this order:
 * <ul>
 * <li>{@code users/passwd}, the virtual users' file that
 *     {@code jqmail user add NAME --password-file F} writes:
 *     {@code NAME:pbkdf2-sha256:ITERATIONS:SALT:HASH}, PBKDF2-HMAC-SHA256
 *     with 210,000 iterations and a 16-byte random salt, never the password
 *     itself. NAME@me is the same user as NAME;</li>
 * <li>else the program of {@code control/checkpassword}, if any, by qmail's
 *     checkpassword interface: it reads "user\0password\0timestamp\0" on
 *     descriptor 3 and runs its argument ({@code /bin/true}) on success; exit
 *     0 accepts, 1 refuses, anything else (or 15 seconds) is trouble;</li>
 * <li>else the system's own logins: a passwd name with a uid of at least
 *     1000 whose {@code /etc/shadow} hash (yescrypt, SHA-512 crypt ...)
 *     matches by crypt(3); root, system accounts and locked ones never
 *     log in.</li>
 * </ul>
 * An unknown name costs the same PBKDF2 work as a known one, so timing
 * does not tell which names exist. At most one check per core runs at a
 * time.
 *
 * <p>Failures: each refusal is answered only after
 * {@code control/authfaildelay} seconds (2), and an address with
 * {@code control/authfailures} failures (10) in the last 15 minutes is
 * refused unchecked until the oldest of them is 15 minutes old (a success
 * does not clear the count). The table of addresses is bounded (10,000,
 * the least recent forgotten first). The log says who failed from where,
 * never a password.
 *
 * <p>EXIT STATUS
 * <p>100 usage; 111 cannot start.
 *
 * <p>SIGNALS
 * <p>SIGHUP rereads the control files; users/passwd, passwd and shadow are
 * read when they change or per check. SIGTERM exits.
 *
 * <p>SECURITY
 * <p>Runs as {@code jqmailp}, in its own group and in {@code shadow}: the
 * only reader of {@code users/passwd} (0600) and, with shadow, of the
 * system's hashes. It reads no mail, opens no queue file and starts no
 * program but the administrator's checkpassword. Every input is bounded
 * before it is read. About 480 lines.
 *
 * <p>FILES
 * <p>users/passwd, control/checkpassword, control/authfaildelay,
 * control/authfailures, /etc/passwd, /etc/shadow, run/auth/auth.sock.
 *
 * <p>SEE ALSO
 * <p>tcpserver, qmail-lspawn, qmail-pop3d, jqmail user add.
 */
package jqmail.auth;
