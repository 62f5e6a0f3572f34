/**
 * NAME
 * <p>qmail-qstat, qmail-qread - summarize and list the queue
 *
 * <p>SYNOPSIS
 * <pre>
 * qmail-qstat [--home DIR] [--json]
 * qmail-qread [--home DIR] [--json]
 * </pre>
 *
 * <p>DESCRIPTION
 * <p>qmail-qstat prints, as qmail's does:
 * <pre>
 * messages in queue: N
 * messages in queue but not yet preprocessed: M
 * </pre>
 * qmail-qread prints one line per message, then one per recipient, as
 * qmail's does (date of commit, GMT; queue id; bytes of the stored body;
 * envelope sender):
 * <pre>
 * 22 Nov 2026 01:13:00 GMT  #1795309979942995  87  &lt;a@b.c&gt;
 * 	local	x@test.example
 * 	remote	y@remote.org
 * </pre>
 * Recipients are classed local or remote by {@code control/locals} and
 * {@code control/virtualdomains}; delivered ones are prefixed {@code done}.
 * Non-printable bytes show as {@code _}. {@code --json} prints the same as
 * JSON, with the submitting uid of each message.
 *
 * <p>They read the queue's directories, so they must run as root or as the
 * queue's owner; once the scheduler runs they will ask it instead, and any
 * user will see his own messages.
 *
 * <p>EXIT STATUS
 * <p>0 listed; 100 usage; 111 the queue could not be read (one line on stderr).
 */
package jqmail.queue.inspect;
