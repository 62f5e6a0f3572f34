package jqmail.queue.inject;

import java.util.ArrayList;
import java.util.List;
import jqmail.queue.inject.AddressList.Entry;
import jqmail.queue.inject.AddressList.Group;
import jqmail.queue.inject.AddressList.Mailbox;
import jqmail.queue.inject.AddressList.Spec;
import jqmail.queue.inject.AddressList.Verbatim;
import jqmail.queue.inject.AddressTokens.Kind;
import jqmail.queue.inject.AddressTokens.Token;

/**
 * The syntax layer under {@link AddressList}: recursive descent over
 * {@link AddressTokens}, one parser per field body. A method that cannot
 * parse returns null, and {@link #entries} keeps that entry verbatim.
 * Comments between tokens are stepped over by {@link #peek} and collected
 * afterwards by token range. Nothing recurses deeper than a group's
 * members, and no token is read more than a few times, so the work is
 * linear in the field body.
 */
final class AddressParser {
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

    AddressParser(String text, List<Token> tokens) {
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

    /** A quoted string's content, escapes undone. */
    static String unquote(String quoted) {
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
