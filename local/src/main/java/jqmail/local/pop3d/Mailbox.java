package jqmail.local.pop3d;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * One session's view of a Maildir: the messages of {@code new/} and
 * {@code cur/} as they were at login, numbered from 1 in order of mtime
 * (then name), with their deletion marks. Nothing on disk changes until
 * {@link #commit}; a message another session removed or renamed meanwhile is
 * looked for again by its unique name, and a message that is gone is
 * reported as gone, never as a failure of the whole session.
 */
final class Mailbox {
    /** qmail's age for a forgotten file in tmp/: 36 hours. */
    static final long TMP_MAX_AGE_MILLIS = 36L * 3600 * 1000;
    /** RFC 1939's longest unique-id. */
    static final int MAX_UID = 70;

    /** One message: where it was at login, its unique-id, its mark and (once read) its POP3 size. */
    static final class Message {
        final int number;
        final String uid;
        final boolean inNew;
        private final String unique;
        private Path file;
        private boolean deleted;
        private long size = -1;

        Message(int number, Path file, boolean inNew) {
            String name = file.getFileName().toString();
            int colon = name.indexOf(':');
            this.number = number;
            this.file = file;
            this.inNew = inNew;
            this.unique = colon < 0 ? name : name.substring(0, colon);
            this.uid = uid(unique);
        }

        boolean deleted() {
            return deleted;
        }
    }

    private final Path dir;
    private final List<Message> messages;
    private final List<Message> unmodifiable;

    private Mailbox(Path dir, List<Message> messages) {
        this.dir = dir;
        this.messages = messages;
        this.unmodifiable = List.copyOf(messages);
    }

    /** Lists {@code new/} and {@code cur/} (dot files skipped) and cleans old files out of {@code tmp/}. */
    static Mailbox open(Path dir) throws IOException {
        record Entry(Path file, boolean inNew, long mtime) {
        }
        List<Entry> found = new ArrayList<>();
        for (String sub : new String[] {"new", "cur"}) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir.resolve(sub))) {
                for (Path p : s) {
                    BasicFileAttributes a = attributes(p);
                    if (a != null && a.isRegularFile() && !p.getFileName().toString().startsWith(".")) {
                        found.add(new Entry(p, sub.equals("new"), a.lastModifiedTime().toMillis()));
                    }
                }
            }
        }
        found.sort(Comparator.comparingLong(Entry::mtime).thenComparing(e -> e.file().getFileName().toString()));
        List<Message> messages = new ArrayList<>();
        for (Entry e : found) {
            messages.add(new Message(messages.size() + 1, e.file(), e.inNew()));
        }
        cleanTmp(dir.resolve("tmp"));
        return new Mailbox(dir, messages);
    }

    /** Every message of the session, numbered from 1, deleted or not. */
    List<Message> messages() {
        return unmodifiable;
    }

    /** Message {@code number}, or null when there is none. */
    Message get(long number) {
        return number >= 1 && number <= messages.size() ? messages.get((int) number - 1) : null;
    }

    void delete(Message m) {
        m.deleted = true;
    }

    /** RSET: every mark undone. */
    void reset() {
        for (Message m : messages) {
            m.deleted = false;
        }
    }

    /** The message's POP3 size (see Transmission), read once; a message gone meanwhile counts 0. */
    long size(Message m) throws IOException {
        if (m.size < 0) {
            try (InputStream in = open(m)) {
                m.size = Transmission.size(in);
            } catch (NoSuchFileException e) {
                m.size = 0;
            }
        }
        return m.size;
    }

    /** The message's file, open; NoSuchFileException when no file has its unique name any more. */
    InputStream open(Message m) throws IOException {
        try {
            return Files.newInputStream(m.file);
        } catch (NoSuchFileException e) {
            m.file = find(m);
            return Files.newInputStream(m.file);
        }
    }

    /**
     * QUIT (RFC 1939's UPDATE state): removes the marked messages and moves
     * what is left in {@code new/} to {@code cur/}, adding qmail's
     * {@code :2,} to a name without info. A message already gone counts as
     * removed; a move that fails leaves the message where it is. Returns how
     * many marked messages could not be removed.
     */
    int commit() {
        int failed = 0;
        for (Message m : messages) {
            try {
                if (m.deleted) {
                    if (!Files.deleteIfExists(m.file)) {
                        deleteMoved(m);
                    }
                } else if (m.inNew) {
                    String name = m.file.getFileName().toString();
                    Files.move(m.file, dir.resolve("cur").resolve(name.indexOf(':') < 0 ? name + ":2," : name),
                        StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (NoSuchFileException e) {
                // Another session moved or removed it first.
            } catch (IOException e) {
                if (m.deleted) {
                    failed++;
                }
            }
        }
        return failed;
    }

    private void deleteMoved(Message m) throws IOException {
        try {
            Files.delete(find(m));
        } catch (NoSuchFileException e) {
            // Gone already: what DELE asked for.
        }
    }

    /** Where the message went: the file in cur/ or new/ with its unique name (its flags may have changed). */
    private Path find(Message m) throws IOException {
        for (String sub : new String[] {"cur", "new"}) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir.resolve(sub))) {
                for (Path p : s) {
                    String name = p.getFileName().toString();
                    if (name.startsWith(m.unique) && (name.length() == m.unique.length()
                        || name.charAt(m.unique.length()) == ':')) {
                        return p;
                    }
                }
            }
        }
        throw new NoSuchFileException(m.file.toString());
    }

    /**
     * The UIDL of a message: its file name's unique part (before {@code :}),
     * the same in new/ and cur/ and in every session. A unique part RFC 1939
     * does not allow (empty, longer than 70, or a byte outside 0x21..0x7E)
     * gets {@code /} and the unpadded base64url SHA-256 of its UTF-8 bytes
     * instead: as stable, and no file name can clash with it, since none
     * holds {@code /}.
     */
    static String uid(String unique) {
        if (!unique.isEmpty() && unique.length() <= MAX_UID && unique.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            return unique;
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(unique.getBytes(StandardCharsets.UTF_8));
            return "/" + Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** qmail-pop3d's tidying: files in tmp/ older than 36 hours were left by deliveries that died. */
    private static void cleanTmp(Path tmp) {
        long cutoff = System.currentTimeMillis() - TMP_MAX_AGE_MILLIS;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(tmp)) {
            for (Path p : s) {
                BasicFileAttributes a = attributes(p);
                if (a != null && a.isRegularFile() && a.lastModifiedTime().toMillis() < cutoff) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // Tidying only: a session goes on without it.
        }
    }

    /** A file's attributes (following a link, as qmail's stat does), or null when it vanished. */
    private static BasicFileAttributes attributes(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
    }
}
