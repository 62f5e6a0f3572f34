package jqmail.scripts.man;

/**
 * The roff a man(7) page is written in: text escaped so that groff prints
 * it as written, and the few requests the pages use. A backslash is
 * {@code \e}, a hyphen {@code \-} (a minus: options stay copyable), a
 * character outside ASCII {@code \[uXXXX]} (groff reads its input as
 * Latin-1 unless man-db's preconv runs first), and a line that would start
 * with a control character ({@code .} or {@code '}) starts with {@code \&}.
 */
final class Roff {
    /** Flowing text is broken into lines of about this many characters. */
    private static final int WIDTH = 78;

    private final StringBuilder out = new StringBuilder();

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c == '\\') {
                b.append("\\e");
            } else if (c == '-') {
                b.append("\\-");
            } else if (c == '\t') {
                b.append("        ");
            } else if (c < 0x20 && c != '\n') {
                b.append(' ');
            } else if (c > 0x7e) {
                b.append(String.format("\\[u%04X]", c));
            } else {
                b.append((char) c);
            }
        });
        return b.toString();
    }

    /** A macro argument: quoted, with its own quotes as groff's {@code \(dq}. */
    static String argument(String escaped) {
        return "\"" + escaped.replace("\"", "\\(dq") + "\"";
    }

    static String bold(String escaped) {
        return "\\fB" + escaped + "\\fR";
    }

    static String italic(String escaped) {
        return "\\fI" + escaped + "\\fR";
    }

    /** A request line: {@code .NAME "arg" ...}; arguments already escaped. */
    Roff request(String name, String... args) {
        out.append('.').append(name);
        for (String a : args) {
            out.append(' ').append(argument(a));
        }
        out.append('\n');
        return this;
    }

    /** A request whose arguments are written as they are ({@code .IP \(bu 2}). */
    Roff raw(String line) {
        out.append(line).append('\n');
        return this;
    }

    /** Escaped text to fill: broken at spaces into lines of about WIDTH characters. */
    Roff text(String escaped) {
        String rest = escaped.strip();
        while (!rest.isEmpty()) {
            int cut = rest.length() <= WIDTH ? -1 : rest.lastIndexOf(' ', WIDTH);
            if (cut <= 0 && rest.length() > WIDTH) {
                cut = rest.indexOf(' ', WIDTH);
            }
            String line = cut <= 0 ? rest : rest.substring(0, cut);
            rest = cut <= 0 ? "" : rest.substring(cut + 1).stripLeading();
            line(line.strip());
        }
        return this;
    }

    /** One escaped input line, kept as it is (inside {@code .nf}). */
    Roff line(String escaped) {
        if (escaped.startsWith(".") || escaped.startsWith("'")) {
            out.append("\\&");
        }
        out.append(escaped).append('\n');
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
