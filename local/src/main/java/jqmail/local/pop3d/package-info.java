/**
 * NAME
 * <p>qmail-pop3d - the POP3 session of a user who has logged in, over one Maildir
 *
 * <p>SYNOPSIS
 * <pre>
 * qmail-pop3d maildir
 * </pre>
 *
 * <p>DESCRIPTION
 * <p>qmail's interface: the front (qmail-popup) reads USER and PASS, has the
 * password checked, and starts this program as the mailbox's owner, in the
 * owner's home, with the client's stream on stdin and stdout. A relative
 * {@code maildir} is taken from the current directory. The first line it
 * writes answers the client's PASS: {@code +OK logged in}, or
 * {@code -ERR [SYS/TEMP] ...} when the Maildir or the controls cannot be
 * read. Then it speaks POP3's TRANSACTION state (RFC 1939, RFC 2449):
 * <pre>
 * STAT              +OK count octets, of the messages not marked deleted
 * LIST [n]          sizes; UIDL [n]: unique-ids
 * RETR n            the message; TOP n k: its header, the blank line and k body lines
 * DELE n            marks n; RSET unmarks every message
 * NOOP, LAST        +OK; LAST: the highest message number RETR or TOP sent (RFC 1081, as qmail)
 * CAPA              TOP UIDL RESP-CODES PIPELINING
 * QUIT              removes the marked messages, moves the rest of new/ to cur/, +OK
 * USER PASS APOP AUTH STLS   -ERR already authenticated
 * </pre>
 * Verbs are taken in any case. The messages are those of {@code new/} and
 * {@code cur/} at login, without dot files, numbered from 1 by mtime, then
 * by name, as qmail-pop3d sorts them (qmail also hid files with an mtime in
 * the future; here they are listed, since a skewed clock must not hide
 * mail). A message marked deleted cannot be addressed
 * ({@code -ERR message N is deleted}) and is left out of STAT and LIST.
 *
 * <p>Messages go out as RFC 1939 says: every line ends in CRLF (a file's LF
 * or CRLF becomes CRLF, a last line without one gets CRLF), a line starting
 * with {@code .} gets another, and {@code .CRLF} ends the message. qmail
 * added an empty line to every message; this does not. The size that STAT
 * and LIST report is exactly what RETR sends of the message: its bytes, two
 * for every line end, not counting the stuffing dots or the final
 * {@code .CRLF} (qmail reported the file's size; RFC 1939 asks for the size
 * on the wire, and a client that checks what it got against LIST finds
 * them equal). Sizes are counted by reading each message once a session
 * needs them, and streamed: no message is ever held in memory.
 *
 * <p>A unique-id is the message's file name up to {@code :}, so it is the
 * same in {@code new/} and {@code cur/} and in every session. A name part
 * RFC 1939 does not allow (empty, more than 70 bytes, or any byte outside
 * 0x21..0x7E) is replaced by {@code /} and the unpadded base64url SHA-256 of
 * its UTF-8 bytes: as stable, 44 characters, and no file name holds
 * {@code /}, so it cannot equal another message's id.
 *
 * <p>Nothing on disk changes before QUIT. Then the marked messages are
 * removed, and every other message still in {@code new/} is renamed into
 * {@code cur/}, with {@code :2,} added to a name without info. A client that
 * hangs up, goes idle or makes too many errors leaves the Maildir as it
 * was. A message another session removed meanwhile gets {@code -ERR message
 * N is gone} and a size of 0; one that was only renamed (new/ to cur/, or
 * its flags) is found again by its unique name. There is no lock: two
 * sessions on one Maildir may both see a message, as with qmail. At start,
 * files in {@code tmp/} older than 36 hours are removed (qmail's
 * maildir_clean; by mtime here).
 *
 * <p>A command line may have 512 bytes with its CRLF; a longer one gets
 * {@code -ERR line too long} and is dropped as it is read, never held. A
 * line with bytes other than printable ASCII (NUL, 8-bit, control
 * characters) gets an error as well. The 20th error ends the session with
 * {@code -ERR too many errors}. Pipelined commands are answered in one
 * write: replies are flushed only before a read that would wait for the
 * client. No reply names the software or its version; there is no
 * IMPLEMENTATION capability.
 *
 * <p>EXIT STATUS
 * <p>0 when the session is over: after QUIT, when the client hung up,
 * after too many errors, and after the idle timeout
 * ({@code -ERR idle too long}). 111 when the Maildir (its {@code new/} or
 * {@code cur/}) or the controls cannot be read at start (a {@code -ERR
 * [SYS/TEMP]} line on stdout, one line on stderr), when a message could not
 * be read to its end, or when QUIT could not remove a deleted message
 * ({@code -ERR [SYS/TEMP] some deleted messages were not removed}). 100
 * for usage, one line on stderr.
 *
 * <p>SECURITY
 * <p>Runs as the mailbox's owner and trusts nothing from the client: lines
 * are bounded, numbers are checked against the list made at login, and the
 * only files it opens, removes or renames are those of {@code new/} and
 * {@code cur/} that carry the unique name of a message listed at login, and
 * files older than 36 hours in {@code tmp/}. It opens no queue path and
 * holds no password: the front has done the login. It does not check that
 * it is not root (notqmail's qmail-pop3d does); the front starts it as the
 * mailbox's owner.
 *
 * <p>FILES
 * <p>{@code maildir/new/}, {@code maildir/cur/}, {@code maildir/tmp/};
 * {@code control/timeoutpop3d} in the home named by {@code JQMAIL_HOME}:
 * seconds an idle client may take for each read and each write (default
 * 1200, qmail's; without {@code JQMAIL_HOME}, the default).
 *
 * <p>SEE ALSO
 * <p>qmail-popup (the front: greeting, TLS, USER and PASS), qmail-local
 * ({@code jqmail.local.deliver}: delivers into the Maildir), RFC 1939, RFC
 * 2449, qmail's qmail-pop3d(8).
 */
package jqmail.local.pop3d;
