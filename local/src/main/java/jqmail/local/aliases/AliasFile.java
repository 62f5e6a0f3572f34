package jqmail.local.aliases;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * sendmail's aliases(5) file, parsed as Debian's Postfix reads it:
 *
 * <pre>
 * # comment                  (also indented; blank lines are skipped too)
 * name: target, target, ...
 *     target, ...            a line starting with whitespace continues the entry above
 * "odd name": "|/usr/bin/prog arg, with comma"
 * </pre>
 *
 * Names are case-insensitive (kept lower-cased). A name given twice keeps
 * its first entry and adds a warning, as postalias does. The file is read as
 * bytes (ISO-8859-1), lines may end in LF or CRLF; a line is at most
 * {@link #MAX_LINE} bytes and the file {@link #MAX_FILE}. An error names the
 * first line of the entry it is in.
 */
public final class AliasFile {
    public static final int MAX_LINE = 64 * 1024;
    public static final long MAX_FILE = 64L * 1024 * 1024;

    /** One entry: its lower-cased name, its targets in order, the line it starts on. */
    public record Alias(String name, List<Target> targets, int line) {
        public Alias {
            targets = List.copyOf(targets);
        }
    }

    /** The entries in file order and what deserves a warning but is not an error. */
    public record Parsed(List<Alias> aliases, List<String> warnings) {
    }

    /** A malformed file: {@code line} is 0 when the trouble is the whole file. */
    public static final class Malformed extends IOException {
        public final int line;
        public final String what;

        Malformed(int line, String what) {
            super((line > 0 ? "line " + line + ": " : "") + what);
            this.line = line;
            this.what = what;
        }
    }

    private AliasFile() {
    }

    public static Parsed read(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) MAX_FILE + 1);
        }
        if (bytes.length > MAX_FILE) {
            throw new Malformed(0, "larger than " + MAX_FILE + " bytes");
        }
        return parse(new String(bytes, StandardCharsets.ISO_8859_1));
    }

    public static Parsed parse(String text) throws Malformed {
        Map<String, Alias> byName = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        StringBuilder entry = null;
        int entryLine = 0;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.length() > MAX_LINE) {
                throw new Malformed(i + 1, "longer than " + MAX_LINE + " bytes");
            }
            if (line.isBlank() || line.strip().startsWith("#")) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0))) {
                if (entry == null) {
                    throw new Malformed(i + 1, "a continuation line (it starts with a space) with no alias above it");
                }
                entry.append(' ').append(line.strip());
                continue;
            }
            if (entry != null) {
                add(byName, warnings, entry(entry.toString(), entryLine));
            }
            entry = new StringBuilder(line);
            entryLine = i + 1;
        }
        if (entry != null) {
            add(byName, warnings, entry(entry.toString(), entryLine));
        }
        return new Parsed(List.copyOf(byName.values()), List.copyOf(warnings));
    }

    private static void add(Map<String, Alias> byName, List<String> warnings, Alias a) {
        Alias first = byName.putIfAbsent(a.name(), a);
        if (first != null) {
            warnings.add("line " + a.line() + ": duplicate alias " + a.name() + ": the one on line " + first.line()
                + " is used");
        }
    }

    private static Alias entry(String s, int line) throws Malformed {
        List<Integer> colons = separators(s, ':', line);
        if (colons.isEmpty()) {
            throw new Malformed(line, "no colon after the alias name");
        }
        int colon = colons.get(0);
        String name = unquote(s.substring(0, colon).strip(), line);
        if (name.isEmpty()) {
            throw new Malformed(line, "empty alias name before the colon");
        }
        if (name.chars().anyMatch(Character::isWhitespace) && !s.startsWith("\"")) {
            throw new Malformed(line, "a space in the alias name (quote the name or add the missing colon)");
        }
        List<Target> targets = new ArrayList<>();
        targets(s.substring(colon + 1), line, targets);
        if (targets.isEmpty()) {
            throw new Malformed(line, "alias " + name + " has no targets");
        }
        return new Alias(name.toLowerCase(Locale.ROOT), targets, line);
    }

    /** The comma-separated targets of {@code s} (one entry or one line) added to {@code out}. */
    private static void targets(String s, int line, List<Target> out) throws Malformed {
        for (String piece : split(s, line)) {
            String t = unquote(piece.strip(), line);
            if (t.isEmpty()) {
                continue;   // "a, b," : a trailing comma before a continuation line is common
            }
            try {
                out.add(Target.parse(t));
            } catch (IllegalArgumentException e) {
                throw new Malformed(line, e.getMessage());
            }
        }
    }

    /**
     * A list of targets with no alias name: an {@code :include:} file or a
     * {@code ~/.forward}. Targets are separated by commas or newlines;
     * blank lines and lines starting with {@code #} are skipped. At most
     * {@code MAX_LINE} bytes a line, {@code maxBytes} in all.
     */
    public static List<Target> targetList(Path file, int maxBytes) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return targetList(in, maxBytes);
        }
    }

    /** {@link #targetList(Path, int)} from a stream the caller opened (and checked) itself. */
    public static List<Target> targetList(InputStream in, int maxBytes) throws IOException {
        byte[] bytes = in.readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
            throw new Malformed(0, "larger than " + maxBytes + " bytes");
        }
        List<Target> out = new ArrayList<>();
        String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.length() > MAX_LINE) {
                throw new Malformed(i + 1, "longer than " + MAX_LINE + " bytes");
            }
            if (!line.isEmpty() && !line.startsWith("#")) {
                targets(line, i + 1, out);
            }
        }
        return out;
    }

    /** The positions of {@code sep} outside double quotes (a backslash in quotes escapes the next character). */
    private static List<Integer> separators(String s, char sep, int line) throws Malformed {
        List<Integer> at = new ArrayList<>();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == sep && !quoted) {
                at.add(i);
            }
        }
        if (quoted) {
            throw new Malformed(line, "unterminated quote");
        }
        return at;
    }

    /** The target list split at commas outside quotes. */
    private static List<String> split(String s, int line) throws Malformed {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int comma : separators(s, ',', line)) {
            out.add(s.substring(start, comma));
            start = comma + 1;
        }
        out.add(s.substring(start));
        return out;
    }

    /** Drops double quotes; inside them a backslash escapes the next character. */
    private static String unquote(String s, int line) throws Malformed {
        StringBuilder b = new StringBuilder(s.length());
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted && i + 1 < s.length()) {
                b.append(s.charAt(++i));
            } else {
                b.append(c);
            }
        }
        if (quoted) {
            throw new Malformed(line, "unterminated quote");
        }
        return b.toString();
    }
}
