package jqmail.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * qmail's control files: one value or one list per file, all optional.
 * Trailing spaces and tabs are stripped from every line; list files skip
 * blank lines and {@code #} comments; a single-value file uses its first
 * line. A missing file means the default; a file that exists but cannot be
 * read is an error, never silently the default (qmail's rule).
 */
public final class Control {
    /** Control files are small; anything larger is refused rather than read into memory. */
    static final long MAX_FILE = 16L * 1024 * 1024;

    private final Path dir;

    public Control(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** The first line, or {@code fallback} when the file is missing or empty. */
    public String line(String name, String fallback) throws IOException {
        List<String> lines = read(name, false);
        if (lines == null || lines.isEmpty() || lines.get(0).isEmpty()) {
            return fallback;
        }
        return lines.get(0);
    }

    /** A non-negative number from the first line; a malformed value is an error. */
    public long number(String name, long fallback) throws IOException {
        String s = line(name, null);
        if (s == null) {
            return fallback;
        }
        try {
            long v = Long.parseLong(s.strip());
            if (v < 0) {
                throw new NumberFormatException("negative");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IOException("control/" + name + ": not a number: " + s);
        }
    }

    /** The list's entries (blank lines and comments removed), or empty when missing. */
    public List<String> list(String name) throws IOException {
        List<String> lines = read(name, true);
        return lines == null ? List.of() : lines;
    }

    public boolean exists(String name) {
        return Files.exists(dir.resolve(name));
    }

    /** The host name: {@code control/me}, else the kernel's host name (no DNS lookup). */
    public String me() throws IOException {
        return line("me", systemHostName());
    }

    /** The kernel's idea of the host name, read without any resolver. */
    public static String systemHostName() {
        try {
            String s = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).strip();
            if (!s.isEmpty()) {
                return s;
            }
        } catch (IOException e) {
            // Not Linux: fall through to the environment.
        }
        String env = System.getenv("HOSTNAME");
        return env == null || env.isEmpty() ? "localhost" : env;
    }

    private List<String> read(String name, boolean isList) throws IOException {
        if (name.indexOf('/') >= 0 || name.startsWith(".")) {
            throw new IllegalArgumentException("bad control file name: " + name);
        }
        Path p = dir.resolve(name);
        byte[] bytes;
        try {
            if (Files.size(p) > MAX_FILE) {
                throw new IOException("control/" + name + ": larger than " + MAX_FILE + " bytes");
            }
            bytes = Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            return null;
        }
        List<String> out = new ArrayList<>();
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl;
            String line = stripTrailing(text.substring(start, end));
            start = end + 1;
            if (isList && (line.isEmpty() || line.startsWith("#"))) {
                continue;
            }
            out.add(line);
            if (!isList) {
                break;
            }
        }
        return out;
    }

    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }
}
