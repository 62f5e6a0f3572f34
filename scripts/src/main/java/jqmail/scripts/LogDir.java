package jqmail.scripts;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A multilog-style log directory: lines go to {@code current} with a TAI64N
 * stamp; when {@code current} passes {@link #MAX_SIZE} it is renamed to
 * {@code @TIMESTAMP.s} and the oldest beyond {@link #KEEP} are removed.
 */
final class LogDir {
    static final long MAX_SIZE = 1_000_000;
    static final int KEEP = 10;

    private final Path dir;
    private FileOutputStream out;
    private long size;

    LogDir(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        open();
    }

    private final StringBuilder pending = new StringBuilder();

    /** Stamps a line and keeps it until {@link #flush()}: a burst of lines costs one write. */
    synchronized void add(String text) {
        pending.append(Tai64n.format(Instant.now())).append(' ').append(text).append('\n');
    }

    synchronized void flush() {
        if (pending.length() == 0) {
            return;
        }
        byte[] b = pending.toString().getBytes(StandardCharsets.UTF_8);
        pending.setLength(0);
        try {
            out.write(b);
            size += b.length;
            if (size >= MAX_SIZE) {
                rotate();
            }
        } catch (IOException e) {
            System.err.print(new String(b, StandardCharsets.UTF_8));
        }
    }

    private void open() throws IOException {
        Path current = dir.resolve("current");
        out = new FileOutputStream(current.toFile(), true);
        size = Files.size(current);
    }

    private void rotate() throws IOException {
        out.close();
        Files.move(dir.resolve("current"), dir.resolve(Tai64n.format(Instant.now()) + ".s"),
            StandardCopyOption.ATOMIC_MOVE);
        List<Path> old = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "@*.s")) {
            ds.forEach(old::add);
        }
        old.sort(null);
        for (int i = 0; i < old.size() - KEEP; i++) {
            Files.deleteIfExists(old.get(i));
        }
        open();
    }
}
