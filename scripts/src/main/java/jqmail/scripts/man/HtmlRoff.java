package jqmail.scripts.man;

import java.util.Map;

/**
 * One section of javadoc HTML as man(7) roff: {@code <p>} a paragraph,
 * {@code <pre>} unfilled lines (indented, unless the section starts with
 * them, as SYNOPSIS and FILES do), {@code <ul>/<ol><li>} bulleted or
 * numbered items, {@code <i> <em>} italics, {@code <b> <strong> <code>} and
 * {@code {@code ...}} bold (literal text, as man pages print it),
 * {@code {@link target label}} its label (or the target's last name),
 * character entities decoded. Any other tag is an error: a page must not
 * come out quietly wrong.
 */
final class HtmlRoff {
    private static final Map<String, String> ENTITIES = Map.of("lt", "<", "gt", ">", "amp", "&", "quot", "\"",
        "apos", "'", "nbsp", " ");

    private final String html;
    private final Roff out;
    private final StringBuilder text = new StringBuilder();
    private int i;
    private boolean pre;
    private boolean started;
    /** The request that starts the next paragraph ({@code .PP}, or {@code .IP} inside a list), or null. */
    private String paragraph;
    private int listDepth;
    private int number = -1;

    private HtmlRoff(String html, Roff out) {
        this.html = html;
        this.out = out;
    }

    static void render(String html, Roff out) {
        new HtmlRoff(html, out).run();
    }

    /** The text without markup: tags dropped, entities decoded, {@code {@code x}} as x. */
    static String plain(String html) {
        StringBuilder b = new StringBuilder();
        int j = 0;
        while (j < html.length()) {
            char c = html.charAt(j);
            if (html.startsWith("{@", j)) {
                int end = closingBrace(html, j);
                b.append(inlineText(html.substring(j + 2, end)));
                j = end + 1;
            } else if (c == '<') {
                j = html.indexOf('>', j) + 1;
            } else if (c == '&') {
                int semi = html.indexOf(';', j);
                b.append(entity(html.substring(j + 1, semi)));
                j = semi + 1;
            } else {
                b.append(c);
                j++;
            }
        }
        return b.toString();
    }

    private void run() {
        while (i < html.length()) {
            char c = html.charAt(i);
            if (html.startsWith("{@", i)) {
                inlineTag();
            } else if (c == '<') {
                int end = html.indexOf('>', i);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated tag at: " + context());
                }
                tag(html.substring(i + 1, end).strip().toLowerCase(java.util.Locale.ROOT));
                i = end + 1;
            } else if (c == '&') {
                int semi = html.indexOf(';', i);
                if (semi < 0 || semi - i > 10) {
                    throw new IllegalArgumentException("a bare & (write &amp;) at: " + context());
                }
                append(Roff.escape(entity(html.substring(i + 1, semi))), false);
                i = semi + 1;
            } else {
                int cp = html.codePointAt(i);
                append(Roff.escape(Character.toString(cp)), true);
                i += Character.charCount(cp);
            }
        }
        flush();
    }

    /** {@code {@code x}}, {@code {@literal x}}, {@code {@link target label}}: braces inside nest. */
    private void inlineTag() {
        int end = closingBrace(html, i);
        String body = html.substring(i + 2, end);
        String shown = Roff.escape(inlineText(body));
        boolean literal = body.startsWith("code");
        append(literal && !pre ? Roff.bold(shown) : shown, false);
        i = end + 1;
    }

    private static int closingBrace(String s, int from) {
        int depth = 0;
        for (int j = from; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return j;
            }
        }
        throw new IllegalArgumentException("unterminated {@ at: " + s.substring(from, Math.min(s.length(), from + 40)));
    }

    /** What an inline tag shows: {@code code x} and {@code literal x} show x; {@code link a.B#m label} shows label, else m or B. */
    private static String inlineText(String body) {
        String[] kindAndRest = body.split("\\s", 2);
        String kind = kindAndRest[0];
        String rest = kindAndRest.length < 2 ? "" : kindAndRest[1];
        return switch (kind) {
            case "code", "literal" -> rest.replaceAll("\\s*\n\\s*", " ");
            case "link", "linkplain" -> {
                String r = rest.strip();
                int s = r.indexOf(' ');
                if (s > 0) {
                    yield r.substring(s + 1).strip();
                }
                yield r.substring(Math.max(r.lastIndexOf('.'), r.lastIndexOf('#')) + 1);
            }
            default -> throw new IllegalArgumentException("unknown inline tag {@" + kind + "}");
        };
    }

    private static String entity(String name) {
        if (name.startsWith("#x") || name.startsWith("#X")) {
            return Character.toString(Integer.parseInt(name.substring(2), 16));
        }
        if (name.startsWith("#")) {
            return Character.toString(Integer.parseInt(name.substring(1)));
        }
        String s = ENTITIES.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown entity &" + name + ";");
        }
        return s;
    }

    private void tag(String t) {
        switch (t) {
            case "p" -> paragraph(listDepth > 0 ? ".IP \"\" 4" : ".PP");
            case "br" -> {
                flush();
                out.raw(".br");
            }
            case "i", "em" -> append("\\fI", false);
            case "b", "strong", "code" -> append("\\fB", false);
            case "/i", "/em", "/b", "/strong", "/code" -> append("\\fR", false);
            case "pre" -> startPre();
            case "/pre" -> endPre();
            case "ul", "ol" -> {
                flush();
                listDepth++;
                number = t.equals("ol") ? 0 : -1;
            }
            case "li" -> {
                flush();
                out.raw(number >= 0 ? ".IP " + ++number + ". 4" : ".IP \\(bu 4");
                started = true;
                paragraph = null;
            }
            case "/li", "/p" -> flush();
            case "/ul", "/ol" -> {
                flush();
                listDepth--;
                paragraph = ".PP";
            }
            default -> throw new IllegalArgumentException("unknown tag <" + t + "> at: " + context());
        }
    }

    private void paragraph(String request) {
        flush();
        if (started) {
            paragraph = request;
        }
    }

    private void startPre() {
        flush();
        if (started) {
            out.raw(".PP").raw(".RS 4");
        }
        out.raw(".nf");
        pre = true;
    }

    private void endPre() {
        String body = text.toString();
        text.setLength(0);
        if (body.startsWith("\n")) {
            body = body.substring(1);
        }
        String[] lines = body.split("\n", -1);
        int n = lines.length;
        while (n > 0 && lines[n - 1].isBlank()) {
            n--;
        }
        for (int j = 0; j < n; j++) {
            out.line(lines[j].stripTrailing());
        }
        out.raw(".fi");
        if (started) {
            out.raw(".RE");
        }
        pre = false;
        started = true;
        paragraph = ".PP";
    }

    /** Adds escaped text; outside {@code <pre>}, runs of white space become one space. */
    private void append(String s, boolean whitespaceCounts) {
        if (!pre && whitespaceCounts && s.isBlank()) {
            if (text.length() > 0 && text.charAt(text.length() - 1) != ' ') {
                text.append(' ');
            }
            return;
        }
        text.append(s);
    }

    /** Writes the paragraph collected so far, after the request that opens it. */
    private void flush() {
        if (pre) {
            return;
        }
        String t = text.toString().strip();
        text.setLength(0);
        if (t.isEmpty() || t.equals("\\fR")) {
            return;
        }
        if (paragraph != null) {
            out.raw(paragraph);
            paragraph = null;
        }
        out.text(t);
        started = true;
    }

    private String context() {
        return html.substring(Math.max(0, i - 30), Math.min(html.length(), i + 30)).replace('\n', ' ');
    }
}
