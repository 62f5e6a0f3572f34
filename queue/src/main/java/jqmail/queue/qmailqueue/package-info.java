/**
 * NAME
 * <p>qmail-queue - queue a mail message for delivery
 *
 * <p>SYNOPSIS
 * <pre>qmail-queue</pre>
 *
 * <p>DESCRIPTION
 * <p>Byte-compatible with qmail's qmail-queue: reads a mail message from
 * descriptor 0 and then an envelope from descriptor 1, and queues the
 * message. The envelope is {@code F<sender>\0}, then {@code T<recipient>\0}
 * for each recipient, then an extra {@code \0}. The message is streamed to
 * the queue daemon as it is read; nothing is queued unless the whole
 * envelope arrives. The queue daemon adds qmail-queue's {@code Received}
 * line. The home is {@code $JQMAIL_HOME} (default {@code /var/jqmail}).
 *
 * <p>Nothing is printed on success, and nothing ever on descriptor 1 (it is
 * an input). On failure one line goes to stderr.
 *
 * <p>EXIT STATUS (qmail's table; 11 to 40 permanent, every other non-zero temporary)
 * <pre>
 *  0  queued
 * 11  an envelope address is over 1002 bytes
 * 12  an envelope address holds CR or LF
 * 52  timeout (a day, or the daemon's idle limit)
 * 53  write error, disk full, or the queue below its free-space floor
 * 54  unable to read the message or envelope (a truncated envelope, or one
 *     without its final \0)
 * 61  the home directory is missing
 * 62  the queue daemon cannot create files in the queue
 * 71  the queue daemon refused for now (too many simultaneous injections)
 * 73  the queue daemon is not running
 * 74  the connection to the queue daemon failed
 * 81  internal bug (a protocol error)
 * 91  envelope format error
 * </pre>
 *
 * <p>SECURITY
 * <p>Runs as its caller. It is a thin client of the queue daemon and holds
 * no privilege: the daemon learns the caller's uid from the socket. No jnr,
 * no picocli: it starts in about a JVM's start-up time.
 */
package jqmail.queue.qmailqueue;
