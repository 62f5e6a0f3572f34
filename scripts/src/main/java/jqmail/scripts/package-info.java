/**
 * NAME
 * <p>jqmail - set up, start, stop and inspect a jqmail installation
 *
 * <p>SYNOPSIS
 * <pre>
 * jqmail setup  --home DIR [--me NAME] [--system]
 * jqmail start  --home DIR [--foreground]
 * jqmail stop   --home DIR
 * jqmail status --home DIR
 * jqmail qstat|qread --home DIR [--json]
 * jqmail queue hold|release|requeue --home DIR ID ...|--all
 * jqmail queue delete --home DIR --yes ID ...|--all
 * jqmail showctl --home DIR [--json]
 * jqmail log    --home DIR [DAEMON ...] [-n N]
 * jqmail stats  --home DIR [--json] [--top N]
 * </pre>
 * Every subcommand takes {@code --home DIR}, else reads {@code JQMAIL_HOME},
 * else uses {@code /var/jqmail}.
 *
 * <p>DESCRIPTION
 * <p>{@code setup} makes the home of DESIGN §3: every directory with the
 * owner and mode of docs/SECURITY.md, the trigger FIFO, {@code users/ids}
 * (the mode and the accounts), {@code control/me} when {@code --me} is
 * given, and {@code bin/PROGRAM} launchers bound to this home. Without
 * {@code --system} the home is in user mode: every program runs as the
 * home's owner (running as root does not make a system home). With
 * {@code --system} (root only) it creates group {@code jqmail} and the users
 * of DESIGN §2 where missing. It is idempotent and never touches queued mail.
 *
 * <p>{@code start} runs a small supervisor ({@code jqmail supervise}, in its
 * own session) that starts each daemon, writes its output to
 * {@code log/NAME/current} with TAI64N stamps (rotated at 1 MB, ten kept),
 * and restarts a daemon that dies after a delay doubling from 1 s to a
 * minute. It returns once every daemon accepts work. Run again, it starts
 * nothing that already runs. {@code --foreground} runs the daemons in the
 * calling process without restarts, output on stderr prefixed by the
 * daemon's name, and exits when any of them dies (for systemd or svscan).
 * {@code stop} stops the supervisor and waits until every daemon has
 * exited. {@code status} prints one line per program:
 * {@code qmail-queued: up (pid 123) 45 seconds, ready}.
 *
 * <p>{@code qstat} and {@code qread} are qmail-qstat and qmail-qread;
 * {@code qstat} adds Postfix qshape's picture: recipients not yet done by
 * domain and by the age of their message, in columns of up to 5, 10, 20
 * ... 1280 minutes and older ({@code --json} carries the same).
 *
 * <p>{@code queue} asks the running qmail-send: {@code hold} keeps messages
 * from being delivered (deliveries already running finish; the hold is on
 * disk in {@code queue/hold/} and survives restarts); {@code release} lets
 * them go now; {@code requeue} retries them now instead of at their next
 * scheduled attempt; {@code delete --yes} removes them without delivery and
 * without a bounce (a delivery running at that moment finishes; nothing
 * more starts). Root and the home's accounts may act on every message;
 * other users on the messages they sent. Exit 1 when a message was not
 * found or not the caller's; 3 when qmail-send is not running.
 *
 * <p>{@code showctl} is qmail-showctl: the home, then one paragraph for each
 * control file jqmail reads: its value, or {@code (Default.)} and the
 * default, and what it means in a sentence; then each file in
 * {@code control/} that jqmail does not read, as unrecognized. A file that
 * cannot be read or understood (a number that is not one) is shown with its
 * trouble, and the exit status is then 111.
 *
 * <p>{@code log} prints {@code log/DAEMON/current} after its rotated
 * {@code @*.s} files, each TAI64N label as local time the way tai64nlocal
 * prints it ({@code 2026-11-22 06:44:15.123456789}); a line without a label
 * is printed as it is. Without DAEMON, every log is merged by time and each
 * line starts with its daemon's name. {@code -n N} prints the last N lines.
 *
 * <p>{@code stats} reads qmail-send's log the way qmailanalog's zoverall,
 * zfailures and zdeferrals do: completed messages, their bytes and delays
 * ({@code info msg} to {@code end msg}); deliveries and distinct recipients
 * by outcome, local and remote, and their xdelays ({@code starting delivery}
 * to its result); the most frequent reasons for failure and deferral; the
 * recipient domains. Lines that do not parse are skipped and counted.
 *
 * <p>EXIT STATUS
 * <p>0 success; 3 {@code status} found something down; 100 usage; 111 trouble
 * (one line on stderr).
 *
 * <p>SECURITY
 * <p>{@code setup --system} runs as root and only creates directories, users
 * and the FIFO, and sets owners and modes; it refuses a home path that is a
 * symbolic link. The supervisor starts the daemons; in a system home it will
 * drop each to its uid before the JVM starts (a later issue).
 *
 * <p>FILES
 * <pre>
 * run/pid/NAME.pid, run/pid/supervise.lock, log/NAME/current, log/NAME/@*.s, users/ids, control/*
 * </pre>
 */
package jqmail.scripts;
