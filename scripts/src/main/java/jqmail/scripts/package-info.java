/**
 * NAME
 * <p>jqmail - set up, start, stop and inspect a jqmail installation
 *
 * <p>SYNOPSIS
 * <pre>
 * jqmail setup  --home DIR [--me NAME] [--root-mail ADDRESS]
 *               [--system [--account ROLE=NAME ...] [--group NAME] [--qmail-compat]]
 * jqmail setup  --home DIR --system --remove
 * jqmail start  --home DIR [--smtp HOST:PORT|none] [--submission HOST:PORT] [--smtps HOST:PORT]
 *               [--pop3 HOST:PORT] [--pop3s HOST:PORT] [--foreground]
 * jqmail user add --home DIR NAME [--password-file FILE]
 * jqmail stop   --home DIR
 * jqmail status --home DIR
 * jqmail qstat|qread --home DIR [--json]
 * jqmail queue hold|release|requeue --home DIR ID ...|--all
 * jqmail queue delete --home DIR --yes ID ...|--all
 * jqmail showctl --home DIR [--json]
 * jqmail tcpok  --home DIR
 * jqmail service --home DIR systemd|daemontools [DIR] [--java PATH] [--jqmail PATH]
 * jqmail log    --home DIR [DAEMON ...] [-n N]
 * jqmail stats  --home DIR [--json] [--top N]
 * jqmail queue fsck --home DIR [--repair] [--json]
 * jqmail newaliases --home DIR [--file PATH]
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
 * of DESIGN §2 where missing ({@code --account queue=qmailq} and the like,
 * and {@code --group}, name them otherwise; a home keeps the names it was
 * set up with), and records the JDK it runs on
 * ({@code users/java}): the daemons of a system home run on that JDK, not
 * on whatever a later environment names. It is idempotent and never
 * touches queued mail. {@code --system --remove} undoes it: it refuses
 * while the daemons run or while the home holds mail (queued, or in a
 * Maildir under {@code alias/} or {@code vmail/}); otherwise it deletes the
 * home and then the accounts and groups that setup made for it, as
 * {@code users/created} lists them (an account that was there before setup
 * stays; they are shared by every system home on the machine: remove the
 * last one).
 *
 * <p>Mail for root: root is never a delivery account; its mail goes to
 * the alias user as {@code alias/.qmail-root}, or where root's entry in
 * /etc/aliases says in a system home (qmail-lspawn consults the aliases
 * before the accounts). {@code --root-mail ADDRESS} says where it goes, the
 * question Debian's MTA packages ask at install: ADDRESS is
 * {@code user@domain}, a local name (a login, a virtual user or an alias
 * of {@code me}), or {@code ./Maildir/}, qmail's spelling of the alias
 * user's own Maildir ({@code alias/Maildir}, setup's default). Only a plain
 * address: a program, a file, a list, spaces or a name that leads back to
 * root on this host are refused (100, one line). In a system home it sets
 * root's entry of /etc/aliases: an existing {@code root:} entry, with its
 * continuation lines, is replaced where it stands, else
 * {@code root: ADDRESS} is appended; every other line, comments included,
 * stays byte for byte; the file is replaced atomically (a temporary file
 * beside it, fsync, rename) with its mode and owner; a missing file is made
 * with Debian's content ({@code postmaster:    root}, so postmaster follows
 * root; mailer-daemon follows only if the file says so, as with
 * {@code mailer-daemon: postmaster}, else {@code alias/.qmail-mailer-daemon}
 * decides). {@code ./Maildir/} removes root's entry and sets
 * {@code alias/.qmail-root} to the Maildir. In a user-mode home it writes
 * {@code alias/.qmail-root} ({@code &ADDRESS}; a bare local name gets
 * {@code @me}) and the same line into {@code .qmail-postmaster} and
 * {@code .qmail-mailer-daemon} where they held what {@code .qmail-root}
 * held (setup makes all three alike; one given a line of its own keeps
 * it). Without {@code --root-mail}, setup run on a terminal (stdin and
 * stdout) asks once, Enter keeping what there is; otherwise (scripts,
 * package installs: give it {@code </dev/null}) it changes nothing.
 *
 * <p>Every {@code setup} of a system home compiles /etc/aliases, when it
 * exists, into {@code users/aliases.cdb} as {@code newaliases} does (its
 * summary on stdout); a malformed file does not fail setup: one line,
 * {@code jqmail: warning: FILE:LINE: what (INDEX left as it was)}, and the
 * old index stays.
 *
 * <p>{@code --qmail-compat} (with {@code --system}) makes {@code /var/qmail}
 * for tools that hard-code qmail's paths: a directory of root's (0755) with
 * {@code bin/PROG} linked to this home's {@code bin/PROG} launchers
 * ({@code /var/qmail/bin/qmail-inject}, {@code qmail-queue},
 * {@code sendmail}, {@code qmail-qstat}, {@code qmail-qread} ... work on
 * this home whatever the environment says), {@code bin/qmail-showctl},
 * {@code qmail-newu} and {@code qmail-tcpok} running the {@code jqmail}
 * subcommands of those names, and {@code control}, {@code alias},
 * {@code users} linked to the home's (qmail's formats: {@code control/me},
 * {@code users/assign}). There is no {@code /var/qmail/queue}: jqmail's
 * queue files are not qmail's, and a tool that read or wrote them directly
 * would do harm; {@code qmail-queue}, {@code qmail-qread} and
 * {@code qmail-qstat} are the interface. {@code /var/qmail/.jqmail} names
 * the home: a {@code /var/qmail} without it (a real qmail installation) or
 * naming another home is refused (111, one line) and left alone; one of
 * this home's is brought up to date by every {@code setup --system}, and
 * deleted by {@code --remove}.
 *
 * <p>{@code start} runs a small supervisor ({@code jqmail supervise}, in its
 * own session) that starts each daemon and restarts a daemon that dies
 * after a delay doubling from 1 s to a minute. In a system home the
 * supervisor runs as root and starts each daemon through {@code setpriv}
 * under its account (see SECURITY). The daemons' output goes through the
 * logger process ({@code jqmail logger}, as {@code jqmaill} in a system
 * home), the only writer of {@code log/NAME/current} (TAI64N stamps,
 * rotated at 1 MB, ten kept). SMTP opens only once the queue daemon takes
 * messages. Each listener is a tcpserver of its own (pid and log name
 * {@code tcpserver-SERVICE}): {@code --smtp} (default control/smtplisten,
 * else 127.0.0.1:2525, or 0:25 in a system home), {@code --submission}
 * (587-style: STARTTLS, then AUTH, which sending requires),
 * {@code --smtps} (the same over TLS from the first byte, 465-style),
 * {@code --pop3} (STLS) and {@code --pop3s} (995-style), each by default
 * from control/submissionlisten, smtpslisten, pop3listen, pop3slisten (so
 * that {@code start --foreground} under systemd or svscan runs them too),
 * else not at all; any of the last four also starts the auth service,
 * {@code authd}. It returns once every
 * daemon accepts work. Run again, it
 * starts nothing that already runs. {@code --foreground} runs the daemons in the
 * calling process without restarts, output on stderr prefixed by the
 * daemon's name, and exits when any of them dies (for systemd or svscan).
 * {@code stop} stops the supervisor and waits until every daemon has
 * exited. {@code status} prints one line per program:
 * {@code qmail-queued: up (pid 123) 45 seconds, ready}, then one line per
 * remote address qmail-rspawn skips after connection timeouts
 * ({@code down: ...}). {@code tcpok} (qmail-tcpok) makes qmail-rspawn try
 * every such address again.
 *
 * <p>{@code service systemd} prints a systemd unit that runs this home
 * ({@code start --foreground}, sandboxed: see docs/SECURITY.md);
 * {@code service daemontools DIR} makes a service directory for svscan
 * ({@code run}, and {@code log/run} running multilog into {@code log/main},
 * as the logger's account in a system home). {@code --java} and
 * {@code --jqmail} name the JVM and the front door the files run instead of
 * the home's recorded JDK and this build's: scripts/package makes the
 * .deb's unit before any home exists, for {@code /usr/bin/java} and
 * {@code /usr/lib/jqmail/bin/jqmail}.
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
 * <p>{@code queue fsck} checks the queue while the scheduler is stopped and
 * prints one line per problem, {@code fsck: PATH: PROBLEM}, PATH relative to
 * the home; nothing else. With {@code --repair} it repairs each and the line
 * ends {@code : repaired (WHAT IT DID)} or {@code : not repaired (WHY)}. A
 * message that could still be delivered is never removed: what cannot be
 * delivered, or is not the queue's, is moved to {@code queue/bad/}, named
 * after where it was ({@code mess/5/ID} becomes {@code mess.5.ID}), for a
 * person to look at and delete. In order, it checks:
 * <ul>
 * <li>the queue's directories and {@code lock/trigger} against the table of
 * docs/SECURITY.md: a missing one is made; owner, group and mode are reset
 * (in a user-mode home every owner is the home's owner and groups are not
 * checked); one of the wrong kind (a file where a directory belongs) is
 * reported and left for a person;</li>
 * <li>entries the layout does not name, entries named by no queue id, and
 * entries that are not regular files (a link, a directory), in {@code tmp/
 * todo/ mess/ info/ local/ remote/ bounce/ hold/ lock/}: moved to
 * {@code queue/bad/}. {@code maildrop/} is its writers' and is not looked
 * into;</li>
 * <li>{@code tmp/}: files older than 36 hours, longer than the queue daemon
 * lets an injection last, are removed (none was ever acknowledged); younger
 * ones may be injections in progress and are left alone;</li>
 * <li>each message in {@code todo/} and {@code mess/N/}: a file whose footer
 * or envelope does not read is damaged and moved to {@code queue/bad/}; one
 * in the wrong split directory (N is not ID mod 23) is moved to the right
 * one, where the scheduler looks; a second copy of an id is moved aside,
 * keeping an intact copy, the one in {@code mess/} first; owner
 * {@code jqmailq} and mode 0640 are restored (qmail-lspawn delivers only a
 * file owned by the queue's uid);</li>
 * <li>the scheduler's files: the state of a message that is not in the
 * queue is removed, that of a damaged message goes with it to
 * {@code queue/bad/}; a state file in the wrong split directory is moved
 * where the scheduler looks (or removed when one is there already);
 * {@code info/N/ID.tmp}, which nothing reads, is removed; a state file the
 * scheduler cannot have written whole (cut off, empty, no sender record,
 * records not its own) is removed together with the rest of its message's
 * state, as qmail-send itself does, and {@code local/}, {@code remote/} or
 * {@code bounce/} files without {@code info/ID} are removed, which qmail-send
 * would do at its start. The message is then rebuilt from its envelope with
 * every recipient due: a recipient may be delivered twice, none is lost. A
 * hold ({@code hold/ID}) is kept. Owner {@code jqmails} is restored.</li>
 * </ul>
 * {@code --json} prints one object: {@code complete}, {@code findings} (each
 * with {@code subject}, {@code problem}, {@code repair}, {@code repaired},
 * {@code done}, {@code error}) and {@code exit}.
 *
 * <p>{@code queue fsck} refuses to run (111) while qmail-send runs for the
 * home, found by its pid file or by an answer on
 * {@code run/send/control.sock}, and while the supervisor runs, which would
 * restart qmail-send at any moment: the scheduler keeps the queue's state in
 * memory and writes the very files fsck judges. Stop the home first
 * ({@code jqmail stop}), run fsck, start it again. The queue daemon alone may
 * run (started by hand, to keep accepting mail): fsck leaves young
 * {@code tmp/} files alone, a file in {@code todo/} is complete by
 * construction, and the daemon changes {@code mess/} only when the scheduler
 * asks. Do not start qmail-send while fsck runs.
 *
 * <p>{@code newaliases} (also run by the names {@code newaliases} and
 * {@code sendmail -bi}) compiles {@code --file} (default /etc/aliases) into
 * {@code users/aliases.cdb} atomically and prints sendmail's summary; see
 * the {@code jqmail.local.aliases} page for the syntax and the index.
 *
 * <p>EXIT STATUS
 * <p>{@code newaliases} has sendmail's: 0 ok, 65 a malformed file (one line,
 * {@code newaliases: FILE:LINE: what}), 74 I/O trouble; the old index stays.
 * {@code setup}: 100 for a bad {@code --root-mail} (nothing is changed), 111
 * for a {@code /var/qmail} that is not this home's.
 * The others: 0 success (for {@code queue fsck}: nothing found, or everything
 * repaired); 1 {@code queue fsck} found problems it did not repair; 3
 * {@code status} found something down; 100 usage; 111 trouble (one line on
 * stderr), and for {@code queue fsck}: qmail-send running, or something that
 * could not be checked (reported as {@code unable to check}).
 *
 * <p>SECURITY
 * <p>{@code setup --system} runs as root and only creates directories, users
 * and the FIFO, and sets owners and modes; it refuses a home path that is a
 * symbolic link. Outside the home it writes only root's entry of
 * /etc/aliases (with {@code --root-mail}; a plain address, never a program
 * or file, so no value given to setup becomes a command run as anyone) and
 * {@code /var/qmail} (with {@code --qmail-compat}, where none is or one it
 * marked), and removes only a {@code /var/qmail} marked for the home. In a system home the supervisor (root) starts each daemon
 * through util-linux's {@code setpriv}: its account's uid and gid, the
 * groups {@code initgroups} gives that account (the queue's readers share
 * {@code jqmail}; no other has a supplementary group), every capability
 * dropped, no_new_privs, a cleared environment (no JAVA_TOOL_OPTIONS), so
 * the JVM never starts with privilege. tcpserver keeps one capability,
 * CAP_NET_BIND_SERVICE, as an ambient capability to bind port 25;
 * qmail-lspawn stays root, with the cleared environment. Each daemon checks
 * at start that it runs as its account and refuses to run otherwise.
 * {@code queue fsck} runs as root in a system home (as the owner in a
 * user-mode home) over directories that jqmailq and jqmails can write, and
 * trusts none of their entries: each is reached from an open directory
 * descriptor without following a link at the last step, owners and modes are
 * set through a descriptor, a rename never replaces an entry, and a link is
 * moved aside, never followed. It reads message envelopes with the queue's
 * bounds and state files up to 64 MiB.
 *
 * <p>FILES
 * <pre>
 * run/pid/NAME.pid, run/pid/supervise.lock, log/NAME/current, log/NAME/@*.s, users/ids, control/*
 * users/created (the users and groups setup --system made: what --remove deletes)
 * queue/bad/ (what queue fsck moved aside)
 * /etc/aliases, users/aliases.cdb, alias/.qmail-root, .qmail-postmaster, .qmail-mailer-daemon
 * /var/qmail/.jqmail, /var/qmail/bin/, /var/qmail/control, alias, users (setup --qmail-compat)
 * </pre>
 *
 * <p>TESTS
 * <p>Two system properties, for tests only, move what {@code setup} writes
 * outside the home (through {@code JQMAIL_JVM_OPTS}):
 * {@code jqmail.aliasesFile} names the file to use instead of /etc/aliases,
 * {@code jqmail.qmailCompatDir} the directory instead of /var/qmail.
 */
package jqmail.scripts;
