package jqmail.queue.inject;

import java.util.ArrayList;
import java.util.List;

/**
 * The lexical layer under {@link AddressList}: unfolds a header field body
 * and cuts it into RFC 5322 tokens (atoms, quoted strings, domain literals,
 * comments, the specials {@code < > @ , ; : .}).
 *
 * <p>A character that cannot start a token ({@code ) ] \}, controls) is a
 * one-character {@link Kind#JUNK} token. A quoted string, comment or domain
 * literal that is never closed makes the rest of the text one JUNK token: by
 * the grammar everything after the opening character belongs to it, so
 * nothing after it is read as an address. Each scan either ends its token or
 * reaches the end once, so tokenizing is linear in the input.
 */
final class AddressTokens {
    enum Kind { ATOM, QUOTED, LITERAL, COMMENT, SPECIAL, JUNK, END }

    /**
     * @param text the token as written (quotes, brackets and parentheses included)
     * @param start offset of its first char in the unfolded text
     * @param end offset just past its last char
     * @param spaceBefore whether white space separated it from the token before
     */
    record Token(Kind kind, String text, int start, int end, boolean spaceBefore) {
        boolean is(char special) {
            return kind == Kind.SPECIAL && text.charAt(0) == special;
        }

        boolean isWord() {
            return kind == Kind.ATOM || kind == Kind.QUOTED;
        }
    }

    /** ASCII atext by char code: the tokenizer asks for every char. */
    private static final boolean[] ATEXT = new boolean[128];

    static {
        for (char c = '!'; c < 127; c++) {
            ATEXT[c] = "()<>[]:;@\\,.\"".indexOf(c) < 0;
        }
    }

    private AddressTokens() {
    }

    /**
     * RFC 5322 unfolding: a line break followed by a space or tab goes. Any
     * other CR or LF becomes a space, since a field body cannot carry one and
     * nothing rendered from it may.
     */
    static String unfold(String s) {
        if (s.indexOf('\r') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\r' && c != '\n') {
                b.append(c);
                continue;
            }
            if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                i++;
            }
            if (i + 1 >= s.length() || !isWsp(s.charAt(i + 1))) {
                b.append(' ');
            }
        }
        return b.toString();
    }

    /** The tokens of an unfolded text, ending with one {@link Kind#END} token. */
    static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        boolean space = false;
        while (i < n) {
            char c = s.charAt(i);
            if (isWsp(c)) {
                space = true;
                i++;
                continue;
            }
            Kind kind;
            int end;
            switch (c) {
                case '"' -> {
                    kind = Kind.QUOTED;
                    end = quotedEnd(s, i);
                }
                case '(' -> {
                    kind = Kind.COMMENT;
                    end = commentEnd(s, i);
                }
                case '[' -> {
                    kind = Kind.LITERAL;
                    int close = s.indexOf(']', i);
                    end = close < 0 ? -1 : close + 1;
                }
                case '<', '>', '@', ',', ';', ':', '.' -> {
                    kind = Kind.SPECIAL;
                    end = i + 1;
                }
                default -> {
                    kind = isAtext(c) ? Kind.ATOM : Kind.JUNK;
                    end = i + 1;
                    while (kind == Kind.ATOM && end < n && isAtext(s.charAt(end))) {
                        end++;
                    }
                }
            }
            if (end < 0) {
                kind = Kind.JUNK;
                end = n;
            }
            out.add(new Token(kind, s.substring(i, end), i, end, space));
            i = end;
            space = false;
        }
        out.add(new Token(Kind.END, "", n, n, space));
        return out;
    }

    /** RFC 5322 atext, plus every non-ASCII char (RFC 6532). */
    static boolean isAtext(char c) {
        return c >= 128 || ATEXT[c];
    }

    private static boolean isWsp(char c) {
        return c == ' ' || c == '\t';
    }

    /** The offset past the closing quote, or -1 when there is none. */
    private static int quotedEnd(String s, int open) {
        for (int i = open + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i + 1;
            }
        }
        return -1;
    }

    /** The offset past the parenthesis closing a (nested) comment, or -1 when there is none. */
    private static int commentEnd(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i + 1;
            }
        }
        return -1;
    }
}
