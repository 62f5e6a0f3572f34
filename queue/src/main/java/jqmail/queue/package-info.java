/**
 * The queue: its directories, its one file format ({@link jqmail.queue.QueueFile})
 * and the verbs that move a message through its states ({@link jqmail.queue.Queue}).
 * The queue daemon is the only program that calls the writing verbs.
 *
 * <h2>Layout</h2>
 * <pre>
 * queue/tmp/ID          being written by the queue daemon (qmail's pid/ and intd/ in one)
 * queue/tmp/free.N      a finished message's file, emptied, to be written again (the queue daemon's {@code FilePool})
 * queue/todo/ID         committed, not yet taken by the scheduler (flat, as qmail's)
 * queue/mess/N/ID       taken by the scheduler; N = ID % 23
 * queue/info|local|remote/N/ID, bounce/ID, hold/   the scheduler's own state (jqmails)
 * queue/maildrop/       1733: files from sendmail and qmail-inject while the daemon was down
 * queue/lock/trigger    FIFO: the daemon writes "ID\n" after each commit, the scheduler reads
 * </pre>
 * A queue file is body, envelope and footer in one file, so one fsync makes
 * both durable.
 *
 * <h2>States</h2>
 * <pre>
 * state  tmp/ID  todo/ID  mess/N/ID  meaning                        entered by
 * S0       -       -        -        no such message
 * S1       +       -        -        being received, invisible       create        (queue daemon)
 * S2       -       +        -        committed: acknowledged mail    commit        (queue daemon)
 * S3       -       -        +        taken by the scheduler          preprocess    (queue daemon, asked by the scheduler)
 * S0                                  finished and removed           remove        (queue daemon, asked by the scheduler)
 * </pre>
 * In the queue daemon {@code remove} renames the file to {@code tmp/free.N},
 * and {@code create} writes a later message into such a file, emptied once
 * the directory it left is fsynced (S1 under that name), before making a new
 * one.
 * S1 → S0 happens when a client leaves before its end mark, when a write
 * fails, and for every S1 file at the daemon's start ({@code recover}).
 * Nothing in S1 was ever acknowledged. S2 is reached by {@code rename(2)}
 * of a file already fsynced, followed by an fsync of {@code todo/}, so a
 * message in {@code todo/} is always complete and always durable once
 * acknowledged.
 *
 * <h2>Who writes what</h2>
 * <pre>
 * tmp/ todo/ mess/ maildrop/ (removal)   the queue daemon (jqmailq)
 * maildrop/ (new files)                  any local user, through sendmail and qmail-inject
 * info/ local/ remote/ bounce/ hold/     the scheduler (jqmails)
 * </pre>
 * Readers: the scheduler and remote delivery read {@code todo/} and
 * {@code mess/} through group {@code jqmail}; qmail-qstat and qmail-qread read
 * the directories as root or as the queue's owner.
 *
 * <p>docs/QUEUE.md explains the design, the protocols around it and why each
 * fsync is needed.
 */
package jqmail.queue;
