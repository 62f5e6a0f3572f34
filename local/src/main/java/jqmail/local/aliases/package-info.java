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
 * /absolute/file        an mbox to append to
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
 * <p>WHAT THE NEXT SLICE MUST WIRE
 * <ul>
 * <li>qmail-lspawn ({@code lspawn/Lspawn}): before {@code UserLookup.find},
 * open the index ({@code AliasIndex.open(AliasIndex.path(home))}, reopened
 * like users/cdb when it changes) and, for an address of a local domain
 * whose local part is an alias, deliver to its expansion instead: a loop or
 * an expansion past the bound is a permanent failure naming the chain.</li>
 * <li>Per target: a {@code Mail} with a domain, or a local name not an
 * account, is a forward (one injection, original sender); {@code \name}
 * and local accounts go to the user's delivery; {@code |command} and
 * {@code /file} run as a fixed unprivileged user (sendmail's default user,
 * here the alias user {@code jqalias}), never as root; {@code :include:}
 * files are read then, with {@link jqmail.local.aliases.AliasFile}'s
 * bounds, by a process that may read them, and expanded the same way.</li>
 * <li>qmail-smtpd's RCPT check (as {@code jqmaild}) may accept an alias
 * name that is not an account.</li>
 * <li>{@code jqmail setup} (root's alias) and the .deb's postinst call
 * newaliases; a delivery that finds the index {@code stale} logs it once,
 * as Postfix does, and uses the old index.</li>
 * </ul>
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
