/**
 * NAME
 * <p>qmail-send - schedule deliveries, retry them, bounce what fails
 *
 * <p>SYNOPSIS
 * <pre>
 * qmail-send [--home DIR]
 * </pre>
 *
 * <p>DESCRIPTION
 * <p>qmail-send takes each committed message from {@code queue/todo/}
 * (woken by the trigger FIFO, which carries the new message's id, and by a
 * scan of todo/ every minute and whenever the queue daemon restarts), splits
 * its recipients into local ones (their domain in {@code control/locals} or
 * {@code control/virtualdomains}) and remote ones, and hands each recipient
 * to its channel: local deliveries to {@code qmail-lspawn} over
 * {@code run/lspawn/lspawn.sock}; remote ones wait in the queue until a
 * remote channel runs. At most {@code control/concurrencylocal} (10) local
 * and {@code control/concurrencyremote} (20) remote deliveries run at once;
 * 0 holds a channel.
 *
 * <p>Taking new messages runs on a thread of its own and delivery slots are
 * filled by the scheduler's thread, so a burst of injections never holds up
 * deliveries (qmail's "silly qmail syndrome"); the scheduler's thread never
 * waits for a file write, an fsync or the queue daemon.
 *
 * <p>A recipient that fails temporarily is retried on qmail's schedule,
 * exactly: a pass starting at {@code now} sets the next one at
 * {@code birth + (floor(sqrt(now - birth)) + c)^2} seconds, c = 10 for
 * local and 20 for remote deliveries (local: 0, 100 s, 400 s, 15 min, ...;
 * remote: 0, 6 min 40 s, 26 min 40 s, 1 h, ...). Once a message is older
 * than {@code control/queuelifetime} (604800 s), its next temporary
 * failure is permanent. When every recipient is done, the failed ones are
 * reported in one bounce from {@code <>} to the envelope sender: RFC 3464
 * {@code multipart/report}, the human part qmail's QSBMF text, then each
 * recipient's status, then the original (whole up to 100000 bytes, else
 * its header). A bounce that fails goes to {@code control/doublebounceto}
 * ({@code postmaster}) at {@code control/doublebouncehost} from
 * {@code #@[]}; a double bounce that fails is dropped and logged.
 * {@code control/bouncefrom} and {@code control/bouncehost} make the
 * bounce's From (MAILER-DAEMON at {@code me}). A sender
 * {@code pre@host-@[]} asks for VERP: for recipient {@code box@rhost} the
 * delivery's sender is {@code prebox=rhost@host}.
 *
 * <p>Each delivery's result is checkpointed per recipient. A message
 * delivered at its first attempt, nearly all of them, needs no state files:
 * its removal from the queue is its checkpoint. A message with a deferral,
 * a recipient done while others wait, or a failure to report, gets
 * qmail-send's state files ({@code info/}, {@code local/},
 * {@code remote/}, {@code bounce/}; see docs/QUEUE.md), written off the
 * scheduler's thread; a done recipient's record turns from T to D in place.
 * At start, qmail-send rebuilds its whole state from the directories; a
 * message without state files has every recipient due. A crash between a
 * delivery and its checkpoint means that delivery happens again: mail may
 * be delivered twice, never lost.
 *
 * <p>A message with a file {@code queue/hold/ID} is not tried until the
 * file is removed and qmail-send gets SIGHUP.
 *
 * <p>The control socket {@code run/send/control.sock} answers one request
 * line per connection: {@code qstat}, {@code qread}, {@code qstat json},
 * {@code qread json}. The caller's uid comes from the kernel; root and the
 * home's own accounts see every message, anyone else only the messages they
 * submitted. {@code qmail-qstat}, {@code qmail-qread}, {@code mailq} and
 * {@code jqmail qstat}/{@code qread} ask here first (and read the
 * directories when no scheduler answers); messages committed but not yet
 * taken are counted as "not yet preprocessed".
 *
 * <p>LOG
 * <p>qmail-send's lines: {@code new msg ID}, {@code info msg ID: bytes N
 * from <sender> uid U}, {@code starting delivery N: msg ID to local addr},
 * {@code delivery N: success|failure|deferral: text}, {@code bounce msg ID
 * qp Q}, {@code end msg ID}, and {@code status:} and warning lines.
 *
 * <p>EXIT STATUS
 * <p>100 usage; 111 cannot start (no home, unreadable control files).
 *
 * <p>SIGNALS
 * <p>SIGALRM: every deferred delivery is due now (qmail's). SIGHUP: every
 * control file and {@code hold/} reread. SIGTERM: no new deliveries; those
 * running get ten seconds, then qmail-send exits; what did not report is
 * retried at the next start, never lost.
 *
 * <p>SECURITY
 * <p>Runs as {@code jqmails}, in group {@code jqmail}: it reads the queue
 * and writes only its state directories. It never removes a message file:
 * it asks the queue daemon ({@code run/queue/clean.sock}, "todo ID" and
 * "done ID"). It reads envelopes with bounds (qmail-queue checked them) and
 * sends qmail-lspawn only a message id and two addresses.
 */
package jqmail.send;
