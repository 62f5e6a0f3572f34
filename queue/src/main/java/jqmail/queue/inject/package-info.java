/**
 * NAME
 * <p>qmail-inject - prepare and send a mail message
 *
 * <p>SYNOPSIS
 * <pre>qmail-inject [-nNaAhH] [-f sender] [address ...]</pre>
 *
 * <p>DESCRIPTION
 * <p>Reads a message from stdin, completes its header and queues it. Only
 * the header is held in memory (up to 256 KiB of it; past that it passes
 * unchanged); the body streams to the queue whatever its size. CR LF line
 * ends are stored as LF.
 *
 * <p>Recipients: {@code -a} the addresses on the command line only;
 * {@code -h} the header only (To, Cc, Bcc, Apparently-To; Resent-To,
 * Resent-Cc, Resent-Bcc when the message has any Resent- field);
 * {@code -A} (the default) the command line if it names any, else the
 * header; {@code -H} both. Duplicates are kept: mail is delivered as told.
 * A recipient that is not a mail address fails the whole message before
 * anything is queued.
 *
 * <p>The header: address lists (RFC 5322: display names, comments, quoted
 * local parts, groups, route addresses, and old whitespace-separated lists)
 * in Sender, From, Reply-To, To, Cc, Bcc, Apparently-To, Return-Receipt-To,
 * Errors-To, Mail-Followup-To, Mail-Reply-To and their Resent- forms are
 * rewritten: a bare local part gets {@code @defaulthost}, a host without a
 * dot gets {@code .defaultdomain} (default: {@code me}, but only when
 * {@code me} has a dot: qmail's default would turn every local name of a
 * host called {@code vm}, a container's or a VM's usual name, into
 * {@code vm.vm}, which names nothing), a host ending in {@code +} gets
 * {@code .plusdomain} for the {@code +}, source routes are dropped. Bcc,
 * Resent-Bcc, Return-Path and Content-Length are removed. Added when
 * missing, after the original fields: {@code Date:} (UTC, qmail's form), {@code Message-ID:}
 * ({@code <time.pid.random@idhost>}), {@code From:} ({@code Name
 * <user@host>}), {@code Cc: recipient list not shown: ;} when neither To
 * nor Cc is present, and {@code Mail-Followup-To:} listing every To and Cc
 * address when one of them is a list named in the file QMAILMFTFILE. A
 * resent message gets Resent-Date, Resent-Message-ID and Resent-From
 * instead.
 *
 * <p>The envelope sender is {@code -f sender}, else the message's
 * Return-Path, else USER@HOST. USER is QMAILSUSER, else QMAILUSER,
 * MAILUSER, USER, LOGNAME; HOST is QMAILSHOST, else QMAILHOST, MAILHOST,
 * {@code control/defaulthost}, {@code control/me}; the From: name is
 * QMAILNAME, MAILNAME or NAME; the Message-ID host QMAILIDHOST,
 * {@code control/idhost}, {@code control/me}. QMAILINJECT holds flag
 * letters: {@code c} From: as {@code user@host (Name)}; {@code s} ignore
 * the message's Return-Path; {@code f} replace its From:; {@code i}
 * replace its Message-ID:; {@code r} per-recipient VERP
 * ({@code user-@host-@[]}); {@code m} per-message VERP
 * ({@code user-time.pid@host}).
 *
 * <p>{@code -n} prints the message as it would be queued instead of
 * queueing it; {@code -N} queues (the default).
 *
 * <p>The message is written to {@code queue/maildrop/} (synced to disk
 * before the exit status says so), where the queue daemon picks it up at
 * once, or when it starts if it is not running: mail from cron is never
 * lost. This is Postfix's way (postdrop, then pickup), taken because a
 * program started per message pays about 80 ms for the JVM's first
 * local-socket connection and a few for a file. With QMAILQUEUE set, the
 * program it names gets the message instead (qmail-queue's interface).
 *
 * <p>EXIT STATUS
 * <p>0 in the maildrop (or queued by QMAILQUEUE); 100 usage error, bad address,
 * no recipients or a permanent refusal; 111 a temporary failure (nothing
 * was queued). One line on stderr.
 *
 * <p>SECURITY
 * <p>Runs as its caller; the queue daemon learns the caller's uid from the
 * socket, and a maildrop file's owner is its sender.
 */
package jqmail.queue.inject;
