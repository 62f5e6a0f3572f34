/**
 * NAME
 * <p>sendmail, mailq, newaliases - the sendmail interface
 *
 * <p>SYNOPSIS
 * <pre>sendmail [-t] [-i] [-f sender] [-F name] [-v] [--] [address ...]
 * sendmail -bs
 * sendmail -bp | mailq
 * sendmail -q
 * sendmail -bi [-oAfile] | newaliases [--file PATH]</pre>
 *
 * <p>DESCRIPTION
 * <p>What programs that call {@code /usr/sbin/sendmail} expect (cron, mutt,
 * mailx, PHP, git send-email). It prepares the message as qmail-inject does
 * (see qmail-inject's page: header rewriting, added fields, Bcc removed,
 * the maildrop, QMAILQUEUE) and queues it
 * for the addresses on the command line; {@code -t} adds the addresses of
 * To, Cc and Bcc (as Postfix does). {@code -f sender} (also {@code -r})
 * sets the envelope sender and, when the message has no From:, its From:
 * address; {@code -f ''} or {@code -f '<>'} is the null sender.
 * {@code -F name} is the From: name. The message ends at end of input
 * only: {@code -i} and {@code -oi} are accepted and change nothing.
 * {@code -v} says on stderr what happened ({@code queued as NAME in the maildrop}).
 *
 * <p>{@code -bs}: an SMTP session on stdin and stdout, run by the same
 * session code as qmail-smtpd, as a local client that may relay
 * (RELAYCLIENT set); control/databytes still holds. {@code -bp} or the
 * name {@code mailq}: qmail-qread's listing (ordinary users see the
 * messages they sent; root sees all). {@code -q} (with any interval or
 * selector): every queued message is retried now. {@code -bm} is the
 * default mode. {@code -bi}: runs {@code jqmail newaliases} (the dist's
 * {@code bin/jqmail}, else the home's) with this home, which compiles
 * /etc/aliases (or the file of sendmail's {@code -oA}<i>file</i>) into {@code users/aliases.cdb} and exits with sendmail's
 * codes (0, 65 for a malformed file, 74 for I/O trouble); the launcher
 * named {@code newaliases} runs {@code jqmail newaliases} directly.
 *
 * <p>Accepted and ignored: {@code -o}<i>anything</i> ({@code -oem},
 * {@code -oee}, {@code -odb} ...), {@code -e -E -G -J -m -n -U -x}, and
 * {@code -B -C -d -h -L -N -p -R -V -X} with their value. Anything else is
 * a usage error.
 *
 * <p>EXIT STATUS (sysexits)
 * <p>0 queued; 64 EX_USAGE (bad option, no recipients); 65 EX_DATAERR (the
 * queue refused the message for good); 67 EX_NOUSER (a recipient or the
 * sender is not a mail address: nothing is queued); 69 EX_UNAVAILABLE
 * (-bi found no jqmail program to run); 70 EX_SOFTWARE (the scheduler refused -q); 75 EX_TEMPFAIL
 * (try again later: nothing was queued, or -q with no scheduler running).
 * Every failure says why in one line on stderr.
 *
 * <p>SECURITY
 * <p>Runs as its caller, like qmail-inject.
 */
package jqmail.queue.sendmail;
