/**
 * NAME
 * <p>qmail-local - deliver a message to one local address by its .qmail files
 *
 * <p>SYNOPSIS
 * <pre>
 * qmail-local [-nN] -- user home local dash ext domain sender defaultdelivery &lt; message
 * qmail-local --worker SOCKET [--spool direct|defer]
 * </pre>
 *
 * <p>DESCRIPTION
 * <p>The first form is qmail's interface: one delivery of the message on
 * stdin to {@code local@domain}, for the account {@code user} with home
 * {@code home}; {@code ext} is the address extension after {@code dash}.
 * {@code -n} prints what would be done, one line each ({@code maildir X},
 * {@code mbox X}, {@code program X}, {@code forward X}), and delivers
 * nothing. The second form is how qmail-lspawn runs it: a long-lived worker
 * for the uid it runs as, serving deliveries on a Unix socket that only
 * root and that uid may use; it exits after five idle minutes.
 *
 * <p>The delivery instructions come from {@code home/.qmail-ext} (or
 * {@code .qmail} with no extension), falling back along qmail's
 * {@code -default} chain ({@code .qmail-a-b-c}, {@code .qmail-a-b-default},
 * {@code .qmail-a-default}, {@code .qmail-default}); with no file at all,
 * a system account's own address follows {@code ~/.forward} (below), and
 * otherwise {@code defaultdelivery} applies. Each line:
 * <pre>
 * #comment          ignored
 * |command          /bin/sh -c command in the home, the message on stdin, qmail's
 *                   variables (SENDER, RECIPIENT, LOCAL, HOST, EXT, DTLINE, RPLINE ...);
 *                   exit 0 ok, 99 ok and stop, 100 and 64 65 70 76 77 78 112
 *                   permanent, any other temporary
 * /path/ ./path/    a Maildir: tmp/, fsync, link into new/, fsync of new/
 * /path ./path      an mbox: From line, &gt;From quoting, dotlock and fcntl lock, fsync
 * &amp;address anything-else   a forward
 * spool             the system spool, /var/mail/USER: an mbox as above, made 0660 in the
 *                   spool's group, refused when it is a link or not the account's
 *                   (also the line /var/mail/USER itself; system accounts only)
 * </pre>
 * Lines run in order and the first failure stops the rest; forwards go last,
 * in one injection through the queue daemon (or {@code QMAILQUEUE}), with
 * the original sender. Maildir and mbox deliveries add {@code Return-Path:}
 * and {@code Delivered-To:}; a message whose header already has this
 * address's {@code Delivered-To:} line is a loop and fails permanently.
 * Virtual users (under {@code vmail/}) get no program lines: they share one
 * uid. {@code defaultdelivery} {@code spool} means {@code ./Maildir/} for
 * virtual users and the alias user, who have no spool file.
 *
 * <p>{@code ~/.forward} is sendmail's syntax read with qmail's dot-forward
 * rule: only for the account's own address, only without a {@code .qmail}.
 * Targets are separated by commas or newlines ({@code #} starts a comment
 * line): {@code \USER} (the account's login, or the name it was reached
 * by) is the account's default delivery, an address or a
 * bare name a forward (a bare name at the recipient's domain),
 * {@code "|command"} a program as the account, {@code /file} an mbox,
 * {@code :include:/path} more targets read as the account (a file included
 * again adds nothing; at most 8 files). A target listed twice is delivered
 * once. Like a .qmail, a {@code .forward} writable by
 * group or others, one that is neither the account's nor root's, or one
 * with a syntax error, is a temporary failure, so the mail waits while its
 * owner mends it. It is followed only by a worker that runs as the account
 * (a user-mode home runs every delivery as its owner: there, other
 * accounts' {@code .forward} files are not read, since their programs
 * would run as the owner). A {@code .forward} that forwards
 * back to its own account through others is a loop, caught by the
 * Delivered-To line each forward adds.
 *
 * <p>{@code --spool} says who writes the system spool: a one-shot
 * qmail-local and a user-mode home's worker write it ({@code direct}); a
 * system home's worker ({@code defer}) holds no group that could, and at
 * the spool line asks its spawner (it writes {@code S} and a newline on
 * its connection and reads K, Z or D back), then goes on with the other
 * lines.
 *
 * <p>EXIT STATUS
 * <p>First form, qmail's: 0 delivered, 100 permanent failure, 111 temporary
 * failure, the text on stdout; 100 also for usage.
 *
 * <p>SECURITY
 * <p>Runs as the mailbox's owner (a virtual account's common uid, or the
 * home's owner in a user-mode home), never as root, so a hostile
 * {@code .qmail} file or message can do no more than that user could. It
 * gets the message as a byte stream from qmail-lspawn and never opens the
 * queue.
 */
package jqmail.local.deliver;
