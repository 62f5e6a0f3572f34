package jqmail.scripts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import jqmail.common.Fsync;

/**
 * Root's entry in /etc/aliases, rewritten the way an administrator would
 * with an editor: the {@code root:} entry (its first line and its
 * continuation lines) is replaced in place, or {@code root: TARGET} is
 * appended when there is none; every other byte of the file stays as it
 * was, comments and blank lines inside root's entry included. Entries are
 * recognised as {@link jqmail.local.aliases.AliasFile} reads them: a line
 * whose first byte is not white space starts one; a line starting with white
 * space continues it, unless it is blank or its first non-blank byte is
 * {@code #}. A later, second {@code root:} entry, which newaliases would
 * ignore with a warning, is removed as well.
 */
final class EtcAliases {
    /** Debian's /etc/aliases, as its MTA packages create it when it is missing. */
    static final String DEBIAN_DEFAULT = "# See man 5 aliases for format\npostmaster:    root\n";

    private EtcAliases() {
    }

    /**
     * {@code text} with root's entry set to {@code target}, or removed when
     * {@code target} is null. Text is bytes as ISO-8859-1 chars, so that
     * whatever encoding the file has comes back unchanged.
     */
    static String withRoot(String text, String target) {
        StringBuilder out = new StringBuilder(text.length() + 32);
        boolean inRoot = false;
        boolean replaced = false;
        int at = 0;
        while (at < text.length()) {
            int nl = text.indexOf('\n', at);
            int end = nl < 0 ? text.length() : nl + 1;
            String line = text.substring(at, end);
            at = end;
            String bare = line.strip();
            if (bare.isEmpty() || bare.startsWith("#")) {
                out.append(line);
            } else if (Character.isWhitespace(line.charAt(0))) {
                if (!inRoot) {
                    out.append(line);
                }
            } else {
                inRoot = "root".equals(name(line));
                if (inRoot && !replaced && target != null) {
                    out.append("root: ").append(target).append(line.endsWith("\r\n") ? "\r\n" : "\n");
                }
                replaced |= inRoot;
                if (!inRoot) {
                    out.append(line);
                }
            }
        }
        if (!replaced && target != null) {
            if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
                out.append('\n');
            }
            out.append("root: ").append(target).append('\n');
        }
        return out.toString();
    }

    /** The lower-cased alias name a line starts with (quotes dropped), or null when it has no colon. */
    static String name(String line) {
        int colon = colon(line);
        if (colon < 0) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < colon; i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted) {
                b.append(line.charAt(++i));
            } else {
                b.append(c);
            }
        }
        return b.toString().strip().toLowerCase(Locale.ROOT);
    }

    /** Where the colon that ends the alias name is: the first one outside double quotes; -1 when none. */
    private static int colon(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted) {
                i++;
            } else if (c == ':' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    /** The targets of root's first entry as written (continuation lines joined), or null when there is none. */
    static String root(String text) {
        StringBuilder b = null;
        for (String line : text.split("\r?\n")) {
            String bare = line.strip();
            if (bare.isEmpty() || bare.startsWith("#")) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0))) {
                if (b != null) {
                    b.append(' ').append(bare);
                }
            } else if (b != null) {
                break;
            } else if ("root".equals(name(line))) {
                b = new StringBuilder(line.substring(colon(line) + 1).strip());
            }
        }
        return b == null ? null : b.toString();
    }

    static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    }

    /**
     * Replaces {@code file} with {@code text}: a temporary file beside it,
     * written and fsynced, given the old file's mode and owner (0644 root
     * for a new one), renamed over it, and the directory fsynced. A reader
     * sees the old file or the new one, never half. A symbolic link is
     * followed: the file it names is the one replaced.
     */
    static void write(Path file, String text) throws IOException {
        Path target = Files.exists(file) ? file.toRealPath() : file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            if (Files.exists(target)) {
                // owner first: a chown may clear mode bits the chmod then sets again
                Files.setAttribute(tmp, "unix:uid", Files.getAttribute(target, "unix:uid", LinkOption.NOFOLLOW_LINKS));
                Files.setAttribute(tmp, "unix:gid", Files.getAttribute(target, "unix:gid", LinkOption.NOFOLLOW_LINKS));
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
            } else {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        Fsync.directory(dir);
    }
}
