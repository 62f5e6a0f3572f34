package jqmail.scripts;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads one multilog directory, as {@link LogDir} writes it: the rotated
 * {@code @TIMESTAMP.s} files (and multilog's unfinished {@code .u}) oldest
 * first, then {@code current}. Lines are read whole up to {@link #MAX_LINE}
 * bytes and cut beyond it, so a log holding junk (a line of a gigabyte, no
 * newline at all, bytes that are not UTF-8) neither exhausts memory nor
 * stops the reader.
 */
final class LogFiles implements Closeable {
    static final int MAX_LINE = 8192;

    /**
     * One line: the time of its TAI64N label and the text after it, or, for a
     * line without a label, a null time and the whole line. {@code cut} when
     * the line was longer than {@link #MAX_LINE} and only its start is here.
     */
    record Line(Instant time, String text, boolean cut) {
        static Line of(String line, boolean cut) {
            Instant t = Tai64n.labelOf(line);
            if (t == null) {
                return new Line(null, line, cut);
            }
            return new Line(t, line.length() > 26 ? line.substring(26) : "", cut);
        }
    }

    private final List<Path> files;
    private int next;
    private InputStream in;
    private final byte[] buf = new byte[65536];
    private int pos;
    private int end;

    LogFiles(Path dir) throws IOException {
        this.files = files(dir);
    }

    /** The directory's log files in time order; none when it does not exist. */
    static List<Path> files(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "@*.[su]")) {
            ds.forEach(out::add);
        } catch (NoSuchFileException e) {
            return out;
        }
        // The names are TAI64N labels of one width: their order is time order.
        out.sort(null);
        out.add(dir.resolve("current"));
        return out;
    }

    /** Every line of one log directory, in file order. */
    static void forEach(Path dir, Consumer<Line> sink) throws IOException {
        try (LogFiles f = new LogFiles(dir)) {
            for (Line l = f.next(); l != null; l = f.next()) {
                sink.accept(l);
            }
        }
    }

    /** The next line, or null after the last one of the last file. */
    Line next() throws IOException {
        while (in != null || open()) {
            Line l = readLine();
            if (l != null) {
                return l;
            }
            in.close();
            in = null;
        }
        return null;
    }

    private boolean open() throws IOException {
        while (next < files.size()) {
            try {
                in = Files.newInputStream(files.get(next++));
                pos = 0;
                end = 0;
                return true;
            } catch (NoSuchFileException e) {
                // Rotated away or never written: nothing to read there.
            }
        }
        return false;
    }

    /** A line of this file, its newline dropped; a last line without one counts too. Null at the file's end. */
    private Line readLine() throws IOException {
        byte[] line = new byte[256];
        int n = 0;
        boolean cut = false;
        boolean any = false;
        for (;;) {
            if (pos == end) {
                end = in.read(buf);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    return any ? Line.of(new String(line, 0, n, StandardCharsets.UTF_8), cut) : null;
                }
            }
            any = true;
            byte b = buf[pos++];
            if (b == '\n') {
                return Line.of(new String(line, 0, n, StandardCharsets.UTF_8), cut);
            }
            if (n == MAX_LINE) {
                cut = true;
            } else {
                if (n == line.length) {
                    line = Arrays.copyOf(line, Math.min(MAX_LINE, n * 2));
                }
                line[n++] = b;
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (in != null) {
            in.close();
            in = null;
        }
        next = files.size();
    }
}
