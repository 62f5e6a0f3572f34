/**
 * NAME
 * <p>qmail-local - deliver a message to one local address by its .qmail files
 *
 * <p>SYNOPSIS
 * <pre>
 * qmail-local [-nN] -- user home local dash ext domain sender defaultdelivery &lt; message
 * qmail-local --worker SOCKET
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
 * {@code defaultdelivery} applies. Each line:
 * <pre>
 * #comment          ignored
 * |command          /bin/sh -c command in the home, the message on stdin, qmail's
 *                   variables (SENDER, RECIPIENT, LOCAL, HOST, EXT, DTLINE, RPLINE ...);
 *                   exit 0 ok, 99 ok and stop, 100 and 64 65 70 76 77 78 112
 *                   permanent, any other temporary
 * /path/ ./path/    a Maildir: tmp/, fsync, link into new/, fsync of new/
 * /path ./path      an mbox: From line, &gt;From quoting, dotlock and fcntl lock, fsync
 * &amp;address anything-else   a forward
 * </pre>
 * Lines run in order and the first failure stops the rest; forwards go last,
 * in one injection through the queue daemon (or {@code QMAILQUEUE}), with
 * the original sender. Maildir and mbox deliveries add {@code Return-Path:}
 * and {@code Delivered-To:}; a message whose header already has this
 * address's {@code Delivered-To:} line is a loop and fails permanently.
 * Virtual users (under {@code vmail/}) get no program lines: they share one
 * uid.
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
