package jqmail.scripts.man;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A program's man page as its {@code package-info.java} holds it (STYLE.md:
 * NAME, SYNOPSIS, DESCRIPTION, EXIT STATUS, SECURITY, FILES ...): the
 * comment's sections in order, each still in javadoc's HTML. The comment
 * starts with the line {@code NAME}; every later section starts with a
 * line {@code <p>HEADING}, capitals and spaces, maybe followed by a remark
 * in parentheses ({@code <p>EXIT STATUS (sysexits)}). The NAME section is
 * {@code name, name - what} clauses separated by {@code ;}.
 */
record JavadocPage(List<Section> sections) {
    /** One section: its heading and its HTML. */
    record Section(String heading, String html) {
    }

    private static final Pattern HEADING = Pattern.compile("<p>([A-Z][A-Z ]*[A-Z](?: \\([^)]*\\))?)\\s*");
    private static final Pattern COMMENT_LINE = Pattern.compile("^\\s*\\*(?: ?)");

    /** The page of a package-info.java, or null when its comment is not a man page (no NAME first). */
    static JavadocPage parse(String source) {
        int start = source.indexOf("/**");
        int end = start < 0 ? -1 : source.indexOf("*/", start);
        if (end < 0) {
            return null;
        }
        List<String> lines = new ArrayList<>();
        for (String l : source.substring(start + 3, end).split("\n", -1)) {
            lines.add(COMMENT_LINE.matcher(l).replaceFirst(""));
        }
        while (!lines.isEmpty() && lines.get(0).isBlank()) {
            lines.remove(0);
        }
        if (lines.isEmpty() || !lines.get(0).strip().equals("NAME")) {
            return null;
        }
        List<Section> sections = new ArrayList<>();
        String heading = "NAME";
        StringBuilder html = new StringBuilder();
        boolean pre = false;
        for (String line : lines.subList(1, lines.size())) {
            Matcher m = HEADING.matcher(line.strip());
            if (!pre && m.matches()) {
                sections.add(new Section(heading, html.toString()));
                heading = m.group(1);
                html.setLength(0);
                continue;
            }
            html.append(line).append('\n');
            pre = inPre(line, pre);
        }
        sections.add(new Section(heading, html.toString()));
        return new JavadocPage(List.copyOf(sections));
    }

    /** Whether a {@code <pre>} is still open after this line. */
    private static boolean inPre(String line, boolean pre) {
        int i = 0;
        while (true) {
            int open = line.indexOf("<pre>", i);
            int close = line.indexOf("</pre>", i);
            if (open < 0 && close < 0) {
                return pre;
            }
            if (close < 0 || (open >= 0 && open < close)) {
                pre = true;
                i = open + 5;
            } else {
                pre = false;
                i = close + 6;
            }
        }
    }

    /** The NAME section as plain text: {@code qmail-qstat, qmail-qread - summarize and list the queue}. */
    String nameLine() {
        return HtmlRoff.plain(sections.get(0).html()).replaceAll("\\s+", " ").strip();
    }

    /** Every name the NAME section gives, first the page's own. */
    List<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (String clause : nameLine().split(";")) {
            int dash = clause.indexOf(" - ");
            if (dash < 0) {
                throw new IllegalArgumentException("NAME is not 'name, name - what': " + nameLine());
            }
            Arrays.stream(clause.substring(0, dash).split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .forEach(names::add);
        }
        return List.copyOf(names);
    }
}
