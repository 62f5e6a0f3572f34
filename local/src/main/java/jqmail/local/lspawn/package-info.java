/**
 * NAME
 * <p>qmail-lspawn - start local deliveries and POP3 sessions as the mailbox's owner
 *
 * <p>SYNOPSIS
 * <pre>
 * qmail-lspawn [--home DIR]
 * </pre>
 *
 * <p>DESCRIPTION
 * <p>qmail-lspawn listens on {@code run/lspawn/lspawn.sock} for the
 * scheduler (qmail-send) and nobody else: a connection from another uid is
 * refused. Each request is {@code SLOT\0 ID\0 SENDER\0 RECIPIENT\0} (at
 * most 3000 bytes; anything malformed ends the connection); each report,
 * sent as soon as that delivery ends, is {@code SLOT\0 LETTER TEXT\0} with
 * K (delivered), Z (temporary failure) or D (permanent failure), qmail's
 * letters. Many deliveries run at once on one connection.
 *
 * <p>For each request it first looks the local part up in
 * {@code users/aliases.cdb} ({@code newaliases}: /etc/aliases compiled),
 * as sendmail and Postfix consult aliases before users. An alias is
 * expanded through the index ({@code :include:} files read now, and only
 * regular files with one link, never through a link, that are root's and
 * readable by anyone or the alias user's, writable by no one else); a loop, or a
 * chain deeper than 32, fails permanently naming the chain
 * ({@code Alias loop: a -> b -> a. (#5.4.6)}). A {@code \name} (that
 * account's own mailbox, never expanded again) is delivered here to its
 * account first; everything else goes, as .qmail lines, to the alias
 * user's worker (never root: sendmail's default user), with this
 * address's {@code Delivered-To:}: programs and files run there, and every
 * address, local names included, is forwarded in one injection, so each
 * member is retried or bounced on its own and never gets a second copy
 * because another member failed. The first failure stops the rest, as in
 * a .qmail. A new
 * index is in use within a second of newaliases. When /etc/aliases changed
 * after the index was built, the old index still answers and the log says
 * so once. The lookup is of the whole local part,
 * in any case; {@code root-x} is not {@code root}'s.
 *
 * <p>Otherwise it finds the account: {@code users/cdb} (made from
 * {@code users/assign} by {@code jqmail newu}; virtual users of
 * {@code jqmail user add} are there too), then the passwd file by
 * qmail-getpw's rule (the longest prefix of the local part ending at a dash
 * that names an account with a uid other than 0), then the alias user with
 * the whole local part as extension. It opens the message itself,
 * {@code queue/mess/N/ID} or still {@code queue/todo/ID}, with
 * {@code O_NOFOLLOW}, checks that it is a regular file owned by the queue's
 * owner, and streams it to the account's {@code qmail-local} worker.
 *
 * <p>Workers: one warm {@code qmail-local --worker} per uid, started on
 * demand (in a system home through {@code setpriv} with the account's uid
 * and primary gid, no other groups, no capabilities, a cleared environment),
 * reached over {@code run/lspawn/w/UID/s} (mode 0700 directory owned by
 * that uid), kept while used and ended after five idle minutes. Connections
 * to a worker are reused for the next delivery to the same uid. A worker
 * that fails is replaced and the delivery tried once more; after that it is
 * a temporary failure. {@code control/defaultdelivery} ({@code ./Maildir/})
 * is what an account without {@code .qmail} (or {@code ~/.forward}) gets;
 * {@code spool} there means {@code /var/mail/USER}. In a system home the
 * account's worker does not write that file: at the spool line it sends
 * {@code S} on its connection, and qmail-lspawn appends the message as
 * root and answers K, Z or D, and the worker goes on. Root, because
 * Debian's 2775 root:mail spool lets only root or group {@code mail} make a
 * file or a dotlock, and group mail, which reads every spool file, must
 * not be held by any process of the account's uid: the account could
 * trace it. The file is opened without following a link and checked on the
 * open descriptor (a regular file, one link, the recipient's); a new one is
 * made exclusively, given to the recipient and the spool's group, mode
 * 0660; the dotlock {@code USER.lock} and an fcntl lock are held while the
 * message, From-quoted, is appended and fsynced; a failure cuts the file
 * back.
 *
 * <p>POP3 logins (qmail-popup's checkpassword step): on
 * {@code run/lspawn/pop3.sock}, for tcpserver's POP3 front (uid jqmaild)
 * only, one login per connection: {@code pop3\0 USER\0 PASSWORD\0 ADDRESS\0}.
 * qmail-lspawn asks the auth service itself, finds the account as for a
 * delivery (a virtual user of {@code me}, an assigned user, or a system
 * user; the alias user and root never log in), and starts
 * {@code qmail-pop3d Maildir} in the account's home under its uid and
 * primary gid (setpriv, as for workers), then copies bytes between the
 * front and the session until either ends. A refusal is one line, the same
 * for an unknown user and a wrong password:
 * {@code -ERR [AUTH] authentication failed}; trouble is
 * {@code -ERR [SYS/TEMP] ...}.
 *
 * <p>EXIT STATUS
 * <p>100 usage; 111 cannot start.
 *
 * <p>SIGNALS
 * <p>SIGHUP rereads {@code control/defaultdelivery}; users/cdb,
 * aliases.cdb and passwd are reread whenever they change. SIGTERM stops the workers and exits; a
 * delivery that did not report is retried by the scheduler.
 *
 * <p>SECURITY
 * <p>The one root process of local delivery in a system home, as qmail's
 * qmail-lspawn is, because it must start workers under each user's uid.
 * It is small: it parses a bounded request, looks up an account, opens one
 * file without following links and checks its owner, and copies bytes; it
 * never parses a message, never reads a user's files and never runs a user's
 * program (aliases' programs run as the alias user); the one file of a
 * user's it writes is the system spool, as described above. Deliveries as
 * root are refused. A new connection to a worker must have the account's
 * uid as its peer (the account owns the socket's directory and could put
 * a link to another account's worker there); reports are lines of at most
 * 1024 bytes. Everything a user controls
 * ({@code .qmail} files, programs, mailboxes) is handled by the worker, under
 * that user's uid. In a system home the supervisor starts it with a cleared
 * environment and a capability bounding set of only what this takes
 * (SETUID, SETGID, SETPCAP, CHOWN, FOWNER, DAC_OVERRIDE, DAC_READ_SEARCH,
 * KILL); it refuses to run as anyone but root there. For POP3 it trusts no
 * claim of the front: the password goes to the auth service from here, and
 * the session's bytes are copied, never parsed. About 800 lines of code
 * (packages lspawn and users), and it also runs the alias index and parser
 * (package aliases, about 400) and, for the spool, Mbox's append.
 */
package jqmail.local.lspawn;
