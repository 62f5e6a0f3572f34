/**
 * NAME
 * <p>qmail-inject - prepare and send a mail message
 *
 * <p>SYNOPSIS
 * <pre>qmail-inject [-n] [-a] [-f sender] address ...</pre>
 *
 * <p>DESCRIPTION
 * <p>Reads a message from stdin, completes its header and queues it for the
 * addresses given. Missing {@code Date:}, {@code Message-ID:} and
 * {@code From:} fields are added; {@code Bcc:} fields are removed. The
 * envelope sender is {@code -f sender}, else USER@HOST with USER from
 * QMAILUSER, MAILUSER, USER or LOGNAME and HOST from QMAILHOST, MAILHOST,
 * {@code control/defaulthost} or {@code control/me}; the Message-ID host is
 * QMAILIDHOST, {@code control/idhost} or {@code control/me}. {@code -n}
 * prints the message instead of queueing it.
 *
 * <p>When the queue daemon is not running the message is written to
 * {@code queue/maildrop/} and queued when the daemon starts, so mail from
 * cron is never lost.
 *
 * <p>Reading recipients from the header ({@code -h}, {@code -t}, qmail-inject
 * without addresses) and the rest of qmail-inject's header rewriting come
 * with the sendmail interface.
 *
 * <p>EXIT STATUS
 * <p>0 queued (or dropped into the maildrop); 100 usage error, bad address
 * or a permanent refusal; 111 a temporary failure. One line on stderr.
 *
 * <p>SECURITY
 * <p>Runs as its caller; the queue daemon learns the caller's uid from the
 * socket, and a maildrop file's owner is its sender.
 */
package jqmail.queue.inject;
