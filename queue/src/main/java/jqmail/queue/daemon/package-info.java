/**
 * NAME
 * <p>qmail-queued - the queue daemon: the only writer of new messages
 *
 * <p>SYNOPSIS
 * <pre>qmail-queued [--home DIR]</pre>
 *
 * <p>DESCRIPTION
 * <p>Serves injection on {@code run/queue/inject.sock} (mode 0666: anyone may
 * submit). For each connection it learns the caller's numeric uid and pid
 * from the kernel (SO_PEERCRED), writes qmail-queue's trace line
 * {@code Received: (qmail PID invoked by uid UID); DATE} ("invoked from
 * network" for the SMTP daemon's uid, "by alias", "for bounce" in a system
 * home), streams the message into {@code queue/tmp/ID} as it arrives,
 * checks the envelope record by record (qmail-queue's limits and codes),
 * commits (fsync of the file, rename into {@code todo/}, fsync of
 * {@code todo/} shared with concurrent commits), replies, and only then
 * writes the new id to the trigger FIFO without blocking. A client that
 * leaves before its end frame leaves nothing queued. The protocol is in
 * {@link jqmail.common.InjectWire} and docs/QUEUE.md.
 *
 * <p>Serves the scheduler on {@code run/queue/clean.sock} (mode 0660, and
 * only the scheduler's uid is answered): {@code todo ID} moves a message to
 * {@code mess/}, {@code done ID} removes it (qmail-clean's job). A removed
 * message's file is renamed to {@code queue/tmp/free.N} and, when no other
 * process has it open, written again for a later message once the directory
 * it left has been fsynced (at most 4,096 kept; {@link jqmail.queue.daemon.FilePool}
 * and docs/QUEUE.md say why).
 *
 * <p>Picks up {@code queue/maildrop/}: at start, when a file appears, on
 * SIGALRM, and every minute.
 *
 * <p>At start it removes the scratch files of injections cut off by a
 * crash, keeps the {@code free.N} files again, and refuses to run if another queue daemon holds
 * {@code run/queue/lock}.
 *
 * <p>CONTROL FILES (reread on SIGHUP)
 * <pre>
 * queueminfree   bytes the queue's file system keeps free; below it injections
 *                are refused with exit code 53 (default 50000000)
 * queueuidlimit  simultaneous injections per uid, for uids other than root and
 *                the home's own accounts (default 20)
 * queuelimit     simultaneous injections in all (default 400)
 * timeoutqueue   seconds a client may stay silent (default 1200); no injection
 *                lives longer than 86400 seconds
 * </pre>
 *
 * <p>SIGNALS
 * <p>SIGHUP rereads the control files. SIGALRM looks at the maildrop now.
 * SIGTERM stops accepting, gives running injections 10 seconds to finish,
 * and exits; what was not committed was never acknowledged. SIGIO (sent
 * when an open breaks the instant's write lease taken on a finished file)
 * is ignored.
 *
 * <p>EXIT STATUS
 * <p>100 for a usage error; 111 when it cannot start (the reason is logged).
 *
 * <p>SECURITY
 * <p>Runs as {@code jqmailq}. Trusts nothing a client says about itself:
 * uid and pid come from the kernel, every frame length and envelope record
 * is bounded and checked, maildrop files are opened without following links,
 * must be regular files with one link, and are attributed to their owner.
 * Writes only {@code queue/tmp}, {@code queue/todo}, {@code queue/mess},
 * {@code queue/maildrop} (removals), the trigger FIFO and its sockets.
 *
 * <p>FILES
 * <pre>
 * run/queue/inject.sock, run/queue/clean.sock, run/queue/lock
 * queue/tmp, queue/todo, queue/mess, queue/maildrop, queue/lock/trigger
 * </pre>
 */
package jqmail.queue.daemon;
