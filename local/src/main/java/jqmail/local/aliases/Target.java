package jqmail.local.aliases;

import java.nio.file.Path;
import jqmail.common.Address;

/**
 * One target of an alias, as aliases(5) classifies it. {@link #text()} is
 * the canonical form the index stores and {@link #parse} reads back, so
 * one classifier serves the compiler and the lookup.
 */
public sealed interface Target {
    String INCLUDE = ":include:";

    /**
     * A local name or {@code user@domain}; {@code verbatim} is sendmail's
     * {@code \name}: delivered to that user without further alias expansion.
     */
    record Mail(Address address, boolean verbatim) implements Target {
        public String text() {
            return (verbatim ? "\\" : "") + address.value();
        }
    }

    /** {@code |command}: the message on the command's stdin. */
    record Command(String command) implements Target {
        public String text() {
            return "|" + command;
        }
    }

    /**
     * {@code /absolute/file}: appended to as an mbox; with a trailing slash
     * ({@code maildir}), a Maildir, as in Postfix and in .qmail files.
     */
    record File(Path path, boolean maildir) implements Target {
        public File(Path path) {
            this(path, false);
        }

        public String text() {
            return path + (maildir ? "/" : "");
        }
    }

    /** {@code :include:/path}: more targets, read at delivery time, not when the index is built. */
    record Include(Path path) implements Target {
        public String text() {
            return INCLUDE + path;
        }
    }

    String text();

    /**
     * The .qmail line that delivers to this target: a forward for an
     * address (a bare name gets {@code domain}), the command, the file.
     * An include has none: its file is read first.
     */
    default String qmailLine(String domain) {
        if (this instanceof Include) {
            throw new IllegalStateException("an :include: has no .qmail line: " + text());
        }
        if (this instanceof Mail m) {
            String a = m.address().value();
            return "&" + a + (a.indexOf('@') < 0 ? "@" + domain : "");
        }
        return text();
    }

    /** One target with its quotes already removed; the message says what is wrong with it. */
    static Target parse(String t) throws IllegalArgumentException {
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty target");
        }
        if (t.indexOf(0) >= 0) {
            throw new IllegalArgumentException("a NUL byte in a target");
        }
        if (t.startsWith("|")) {
            if (t.substring(1).isBlank()) {
                throw new IllegalArgumentException("a | with no command");
            }
            return new Command(t.substring(1));
        }
        if (t.regionMatches(true, 0, INCLUDE, 0, INCLUDE.length())) {
            String p = t.substring(INCLUDE.length()).strip();
            if (!p.startsWith("/")) {
                throw new IllegalArgumentException(INCLUDE + " needs an absolute path: " + t);
            }
            return new Include(Path.of(p));
        }
        if (t.startsWith("/")) {
            return new File(Path.of(t), t.length() > 1 && t.endsWith("/"));
        }
        boolean verbatim = t.startsWith("\\");
        String a = verbatim ? t.substring(1) : t;
        if (a.startsWith("<") && a.endsWith(">")) {
            a = a.substring(1, a.length() - 1);
        }
        if (a.isEmpty() || a.startsWith("@") || a.endsWith("@") || a.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("not an address: " + t);
        }
        return new Mail(new Address(a), verbatim);
    }
}
