package jqmail.local.pop3d;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;

/** A Maildir for the tests, written the way a delivery writes one. */
final class TestMaildir {
    final Path dir;
    private long clock = 1_700_000_000_000L;

    TestMaildir(Path dir) throws IOException {
        this.dir = dir;
        for (String sub : new String[] {"tmp", "new", "cur"}) {
            Files.createDirectories(dir.resolve(sub));
        }
    }

    /** A message in new/ whose mtime is later than the one before it, so that it is numbered after it. */
    Path deliver(String name, String content) throws IOException {
        return put("new/" + name, content.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A file at {@code sub/name}, mtime after every earlier one. */
    Path put(String subAndName, byte[] content) throws IOException {
        Path p = Files.write(dir.resolve(subAndName), content);
        clock += 1000;
        Files.setLastModifiedTime(p, FileTime.fromMillis(clock));
        return p;
    }

    /** The names in new/ or cur/, sorted. */
    List<String> names(String sub) throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve(sub))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
