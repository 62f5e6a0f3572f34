package jqmail.queue.inject;

import java.util.ArrayList;
import java.util.List;
import jqmail.queue.inject.AddressTokens.Kind;
import jqmail.queue.inject.AddressTokens.Token;

/**
 * An address-list header field body (To, Cc, Bcc, From, Reply-To, Sender,
 * their Resent- forms, ...) as qmail-inject reads and rewrites it.
 *
 * <p>RFC 5322 forms (section 3.4, with the obsolete syntax of 4.4): mailboxes
 * written as {@code addr-spec} or {@code [display-name] <addr-spec>}; groups
 * {@code name: member, ...;}, empty ones included; comments between any two
 * tokens, nested and with quoted pairs; quoted local parts; domain literals;
 * source routes {@code <@a,@b:user@host>}, which are dropped; the empty
 * {@code <>}, which yields no address; empty list elements ({@code a,,b,});
 * folded field bodies.
 *
 * <p>qmail's leniencies: a lone local part is an address (the {@link Rewriter}
 * gives it the default host); addresses separated only by white space are
 * separate entries, so {@code joe fred} is two while {@code Joe Smith <joe@x>}
 * stays one mailbox; a {@code ;} outside a group separates like a comma.
 *
 * <p>Nothing is refused. A part that does not parse is kept as written, up
 * to the next comma or semicolon outside angle brackets, and yields no
 * address. A quoted string, comment or domain literal that is never closed
 * takes, by the grammar, the rest of the field with it: that rest is kept and
 * yields nothing, rather than guessing at addresses the sender may never have
 * meant. A field body longer than {@link #MAX_LENGTH} is kept whole and
 * yields nothing.
 *
 * <p>{@link #format()} renders the entries afresh: display names and group
 * names as written, comments moved behind the address they were in, routes
 * dropped, local parts quoted only where needed, entries joined with ", ".
 * The rendering parses back to the same entries. Work is linear in the input:
 * the parser reads each token a bounded number of times.
 */
final class AddressList {
    /** Longer field bodies are kept as they are: no sane one comes near it. */
    static final int MAX_LENGTH = 64 * 1024;

    private final List<Entry> entries;

    private AddressList(List<Entry> entries) {
        this.entries = entries;
    }

    /**
     * Parses a field body: the text after the field name's colon, folded or
     * unfolded. Never throws on any content.
     */
    static AddressList parse(String fieldBody) {
        if (fieldBody.length() > MAX_LENGTH) {
            return new AddressList(List.of(new Verbatim(fieldBody)));
        }
        String text = AddressTokens.unfold(fieldBody);
        return new AddressList(new Parser(text, AddressTokens.tokenize(text)).entries(false));
    }

    /**
     * The addresses in order, group members included, as {@code local@domain}
     * ({@code local} alone before rewriting gives it a host). The local part is
     * quoted only when it is not a dot-atom: {@code "john doe"@x}.
     */
    List<String> addresses() {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            e.addresses(out);
        }
        return out;
    }

    /** The list with qmail-inject's host rewriting applied to every address. */
    AddressList rewrite(Rewriter r) {
        List<Entry> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            out.add(e.rewrite(r));
        }
        return new AddressList(out);
    }

    /** The field body rendered again, on one line; folding it is the writer's business. */
    String format() {
        return join(entries);
    }

    /** True when there is neither an address nor a group, only text that did not parse or {@code <>}. */
    boolean isEmpty() {
        for (Entry e : entries) {
            if (e instanceof Group || e instanceof Mailbox m && m.address() != null) {
                return false;
            }
        }
        return true;
    }

    private static String join(List<Entry> list) {
        StringBuilder b = new StringBuilder();
        for (Entry e : list) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(e.format());
        }
        return b.toString();
    }

    private sealed interface Entry {
        void addresses(List<String> out);

        Entry rewrite(Rewriter r);

        String format();
    }

    /** An addr-spec; {@code domain} is null for a lone local part. */
    private record Spec(String local, String domain) {
        String text() {
            return domain == null ? local : local + "@" + domain;
        }
    }

    /**
     * @param name the display name as written, or "" when there is none
     * @param address null for {@code <>}
     * @param comments the comments inside and after the address, in order
     * @param angle whether the address is rendered in angle brackets
     */
    private record Mailbox(String name, Spec address, List<String> comments, boolean angle) implements Entry {
        @Override
        public void addresses(List<String> out) {
            if (address != null) {
                out.add(address.text());
            }
        }

        @Override
        public Entry rewrite(Rewriter r) {
            if (address == null) {
                return this;
            }
            return new Mailbox(name, new Spec(address.local(), r.domain(address.domain())), comments, angle);
        }

        @Override
        public String format() {
            StringBuilder b = new StringBuilder();
            String text = address == null ? "" : address.text();
            if (angle) {
                if (!name.isEmpty()) {
                    b.append(name).append(' ');
                }
                b.append('<').append(text).append('>');
            } else {
                b.append(text);
            }
            for (String c : comments) {
                b.append(' ').append(c);
            }
            return b.toString();
        }
    }

    /**
     * @param close how the group ended: ";", " ;" (an empty group written with
     *     the space, as in qmail's own "recipient list not shown: ;") or ""
     *     (the field ended first)
     */
    private record Group(String name, List<Entry> members, String close, List<String> comments) implements Entry {
        @Override
        public void addresses(List<String> out) {
            for (Entry e : members) {
                e.addresses(out);
            }
        }

        @Override
        public Entry rewrite(Rewriter r) {
            List<Entry> out = new ArrayList<>(members.size());
            for (Entry e : members) {
                out.add(e.rewrite(r));
            }
            return new Group(name, out, close, comments);
        }

        @Override
        public String format() {
            StringBuilder b = new StringBuilder(name).append(':');
            if (!members.isEmpty()) {
                b.append(' ').append(join(members));
            }
            b.append(close);
            for (String c : comments) {
                b.append(' ').append(c);
            }
            return b.toString();
        }
    }

    /** Text that did not parse, kept as written. */
    private record Verbatim(String text) implements Entry {
        @Override
        public void addresses(List<String> out) {
        }

        @Override
        public Entry rewrite(Rewriter r) {
            return this;
        }

        @Override
        public String format() {
            return text;
        }
    }

    /**
     * Recursive descent over the tokens. A method that cannot parse returns
     * null, and {@link #entries} keeps that entry verbatim up to the next
     * separator. Comments between tokens are stepped over by {@link #peek}
     * and collected afterwards by token range.
     */
    private static final class Parser {
        private final String text;
        private final List<Token> tokens;
        /**
         * For each token, the first token after the run of words, dots and
         * comments that starts there: what follows a phrase ({@code <} or
         * {@code :}) decides the kind of entry without scanning the run again
         * for each old-style address in it.
         */
        private final int[] phraseEnd;
        private int pos;

        Parser(String text, List<Token> tokens) {
            this.text = text;
            this.tokens = tokens;
            phraseEnd = new int[tokens.size()];
            for (int i = tokens.size() - 1; i >= 0; i--) {
                Token t = tokens.get(i);
                boolean phrase = t.isWord() || t.kind() == Kind.COMMENT || t.is('.');
                phraseEnd[i] = phrase ? phraseEnd[i + 1] : i;
            }
        }

        /** Entries up to the end of the field, or in a group up to its {@code ;}. */
        List<Entry> entries(boolean inGroup) {
            List<Entry> list = new ArrayList<>();
            for (;;) {
                Token t = tokens.get(pos);
                if (t.kind() == Kind.END || inGroup && t.is(';')) {
                    return list;
                }
                if (isSeparator(t)) {
                    pos++;
                    continue;
                }
                int start = pos;
                Entry e = entry(inGroup);
                if (e == null) {
                    pos = start;
                    skipUnparsed();
                    e = new Verbatim(text.substring(tokens.get(start).start(), tokens.get(pos - 1).end()));
                }
                list.add(e);
            }
        }

        /**
         * Steps over text that did not parse, up to the next separator that
         * is not inside a closed pair of angle brackets. A broken route such
         * as {@code <@a,;@b:u@h>} stays in one piece: split at its comma and
         * rendered with a different separator, it would parse as an address.
         */
        private void skipUnparsed() {
            for (;;) {
                Token t = tokens.get(pos);
                if (t.kind() == Kind.END || isSeparator(t)) {
                    return;
                }
                if (t.is('<')) {
                    pos = closingAngle(pos);
                }
                pos++;
            }
        }

        /**
         * The {@code >} closing the {@code <} at {@code open}, or {@code open}
         * itself when another {@code <} or the end comes first. Each scan
         * stops at the next {@code <}, so the scans never overlap.
         */
        private int closingAngle(int open) {
            for (int i = open + 1;; i++) {
                Token t = tokens.get(i);
                if (t.is('>')) {
                    return i;
                }
                if (t.is('<') || t.kind() == Kind.END) {
                    return open;
                }
            }
        }

        private static boolean isSeparator(Token t) {
            return t.is(',') || t.is(';');
        }

        private Entry entry(boolean inGroup) {
            int start = pos;
            int end = phraseEnd[start];
            Token stop = tokens.get(end);
            if (stop.is('<')) {
                return nameAddr(start, end);
            }
            if (stop.is(':') && hasWord(start, end)) {
                return inGroup ? null : group(start, end);
            }
            return bareAddress(start);
        }

        /** {@code [phrase] < [route] addr-spec >} or {@code [phrase] <>}, and the comments after it. */
        private Mailbox nameAddr(int start, int open) {
            pos = open + 1;
            Spec spec = null;
            if (!peek().is('>')) {
                if ((peek().is('@') || peek().is(',')) && !route()) {
                    return null;
                }
                spec = addrSpec();
                if (spec == null) {
                    return null;
                }
            }
            if (!take().is('>')) {
                return null;
            }
            peek();
            return new Mailbox(phrase(start, open), spec, comments(open, pos), true);
        }

        /** An obsolete source route {@code @a,@b:}, read and dropped. */
        private boolean route() {
            for (;;) {
                Token t = take();
                if (t.is(':')) {
                    return true;
                }
                if (t.is('@')) {
                    if (domain() == null) {
                        return false;
                    }
                } else if (!t.is(',')) {
                    return false;
                }
            }
        }

        /** {@code phrase : [member, ...] ;}; a group missing its {@code ;} ends with the field. */
        private Group group(int start, int colon) {
            pos = colon + 1;
            List<Entry> members = entries(true);
            Token t = tokens.get(pos);
            String close = "";
            if (t.is(';')) {
                close = members.isEmpty() && t.spaceBefore() ? " ;" : ";";
                pos++;
            }
            int tail = pos;
            peek();
            return new Group(phrase(start, colon), members, close, comments(tail, pos));
        }

        /** An addr-spec without brackets, its comments moved behind it. */
        private Mailbox bareAddress(int start) {
            Spec spec = addrSpec();
            if (spec == null) {
                return null;
            }
            peek();
            return new Mailbox("", spec, comments(start, pos), false);
        }

        /** {@code local-part [@ domain]}: qmail takes a lone local part too. */
        private Spec addrSpec() {
            String local = localPart();
            if (local == null) {
                return null;
            }
            if (!peek().is('@')) {
                return new Spec(local, null);
            }
            pos++;
            String domain = domain();
            return domain == null ? null : new Spec(local, domain);
        }

        /** {@code word *("." word)}, as a dot-atom or, when it is none, one quoted string. */
        private String localPart() {
            StringBuilder value = new StringBuilder();
            for (;;) {
                Token t = take();
                if (!t.isWord()) {
                    return null;
                }
                value.append(t.kind() == Kind.QUOTED ? unquote(t.text()) : t.text());
                if (!peek().is('.')) {
                    return quoteIfNeeded(value.toString());
                }
                pos++;
                value.append('.');
            }
        }

        /** {@code atom *("." atom)} or a domain literal. */
        private String domain() {
            Token t = take();
            if (t.kind() == Kind.LITERAL) {
                return literal(t.text());
            }
            StringBuilder d = new StringBuilder();
            for (;;) {
                if (t.kind() != Kind.ATOM) {
                    return null;
                }
                d.append(t.text());
                if (!peek().is('.')) {
                    return d.toString();
                }
                pos++;
                d.append('.');
                t = take();
            }
        }

        /** The next token that is not a comment; the comments are stepped over. */
        private Token peek() {
            while (tokens.get(pos).kind() == Kind.COMMENT) {
                pos++;
            }
            return tokens.get(pos);
        }

        private Token take() {
            Token t = peek();
            if (t.kind() != Kind.END) {
                pos++;
            }
            return t;
        }

        /** The tokens from {@code start} to {@code end} as written, white space between them shrunk to one space. */
        private String phrase(int start, int end) {
            StringBuilder b = new StringBuilder();
            for (int i = start; i < end; i++) {
                Token t = tokens.get(i);
                if (i > start && t.spaceBefore()) {
                    b.append(' ');
                }
                b.append(t.text());
            }
            return b.toString();
        }

        private boolean hasWord(int start, int end) {
            for (int i = start; i < end; i++) {
                if (tokens.get(i).isWord()) {
                    return true;
                }
            }
            return false;
        }

        private List<String> comments(int start, int end) {
            List<String> out = new ArrayList<>();
            for (int i = start; i < end; i++) {
                if (tokens.get(i).kind() == Kind.COMMENT) {
                    out.add(tokens.get(i).text());
                }
            }
            return out;
        }
    }

    private static String unquote(String quoted) {
        StringBuilder b = new StringBuilder(quoted.length());
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c == '\\') {
                c = quoted.charAt(++i);
            }
            b.append(c);
        }
        return b.toString();
    }

    private static String quoteIfNeeded(String local) {
        if (isDotAtom(local)) {
            return local;
        }
        StringBuilder b = new StringBuilder(local.length() + 2).append('"');
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append('"').toString();
    }

    private static boolean isDotAtom(String s) {
        if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '.' && !AddressTokens.isAtext(c)) {
                return false;
            }
        }
        return true;
    }

    /** A domain literal without its white space; null when it holds a char dtext excludes. */
    private static String literal(String written) {
        StringBuilder b = new StringBuilder(written.length()).append('[');
        for (int i = 1; i < written.length() - 1; i++) {
            char c = written.charAt(i);
            if (c == '[' || c == '\\') {
                return null;
            }
            if (c != ' ' && c != '\t') {
                b.append(c);
            }
        }
        return b.append(']').toString();
    }
}
