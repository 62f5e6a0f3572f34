/**
 * NAME
 * <p>aliases - sendmail's /etc/aliases, read natively and compiled into an index
 *
 * <p>SYNOPSIS
 * <pre>
 * jqmail newaliases [--home DIR] [--file PATH]     (also: newaliases, sendmail -bi [-oAPATH])
 * </pre>
 *
 * <p>DESCRIPTION
 * <p>{@link jqmail.local.aliases.AliasFile} reads aliases(5) as Debian's
 * Postfix does: {@code name: target, target, ...}; a line starting with
 * whitespace continues the entry above; lines whose first non-blank
 * character is {@code #}, and blank lines, are skipped (they do not end an
 * entry); names are case-insensitive and may be quoted
 * ({@code "odd name": ...}); a name given twice keeps its first entry, with
 * a warning. Each {@link jqmail.local.aliases.Target} is one of
 * <pre>
 * user, user@domain     an address; &#92;user is that user, never expanded again
 * |command              a program, quoted when it holds commas: "|/usr/bin/prog a, b"
 * /absolute/file        an mbox to append to (/absolute/dir/, with the slash: a Maildir)
 * :include:/path        more targets, comma or newline separated, read at delivery time
 * </pre>
 * A line is at most 64 KiB, the file at most 64 MiB. A malformed entry (no
 * colon, empty name, no targets, an unterminated quote, a continuation with
 * nothing above it, a relative :include:) is an error naming the first line
 * of the entry and what is wrong.
 *
 * <p>{@link jqmail.local.aliases.AliasIndex} compiles the file into
 * {@code users/aliases.cdb} (key: the lower-cased name; value: each
 * target's canonical text ended by NUL; the empty key: the source's mtime
 * and size, for {@code stale}), looks a name up into typed targets, and
 * {@code expand}s a name transitively: local names are followed through the
 * index, a name that lists itself means its own mailbox (as in Postfix),
 * a name reached again on one path, or a chain deeper than 32, is a loop
 * and is reported as the chain of names ({@code a, b, a}).
 *
 * <p>WHERE THE INDEX LIVES
 * <p>{@code users/aliases.cdb}, beside {@code users/cdb}: {@code users/} is
 * root's (0755 in a system home), so the index can be written only by the
 * one who may write /etc/aliases, and read by everyone, {@code jqmaild}'s
 * RCPT checks included. {@code alias/} was the other candidate and is
 * wrong for it: it belongs to {@code jqalias}, whose {@code .qmail} programs
 * run as that user, and a compromised alias delivery must not be able to
 * redirect every alias of the machine.
 *
 * <p>AT DELIVERY
 * <p>qmail-lspawn looks every local recipient's local part up in the index
 * before users/cdb and passwd (see qmail-lspawn): {@code expand} with an
 * {@code :include:} reader gives the alias's targets; a {@code \name} is
 * delivered to that account; programs, files and every other address,
 * local names included (forwarded in one injection), are the alias user's
 * ({@code jqalias}, never root) to deliver. jqmaild may read the
 * index (0644): qmail-smtpd accepts every local recipient and bounces later,
 * as qmail does, so today no RCPT check consults it. {@code jqmail setup
 * --system} compiles /etc/aliases too, and sets root's entry with
 * {@code --root-mail}.
 *
 * <p>EXIT STATUS
 * <p>newaliases uses sendmail's sysexits: 0 compiled (stdout:
 * {@code FILE: N aliases, longest M bytes, T bytes total}, where the bytes
 * are the stored expansions); 65 EX_DATAERR a malformed file, one line on
 * stderr, {@code newaliases: FILE:LINE: what}; 74 EX_IOERR the file could
 * not be read or the index not written. On any error the old index stays
 * in place.
 *
 * <p>SECURITY
 * <p>newaliases runs as its caller (root, in a system home: it writes
 * {@code users/}); it trusts /etc/aliases as root's file. The index is
 * written to a temporary file in {@code users/}, mode 0644, fsynced and
 * renamed over the old one: a reader sees the old index or the new, never
 * half. Lookups check every cdb offset (a damaged index gives an error,
 * never a wild read).
 *
 * <p>FILES
 * <pre>
 * /etc/aliases, users/aliases.cdb
 * </pre>
 */
package jqmail.local.aliases;
