package jqmail.local.deliver;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Set;

/**
 * Delivery into an mbox file, locked as Debian's mail readers expect: a
 * dotlock ({@code FILE.lock}, created exclusively; one older than five
 * minutes is taken as stale) and an fcntl lock on the file. The message is
 * appended with a {@code From } line, {@code >From} quoting and a blank
 * line, fsynced, and on any failure the file is cut back to its old length,
 * so a crash or a full disk never leaves half a message.
 */
public final class Mbox {
    static final long LOCK_WAIT_MILLIS = 30_000;
    private static final long STALE_MILLIS = 300_000;

    private Mbox() {
    }

    static void deliver(Path file, String fromLine, byte[] header, InputStream message) throws IOException {
        appendLocked(file, () -> FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.READ), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
            fromLine, header, message);
    }

    /**
     * Delivery into the account's file in the system spool by a process of
     * the account's (a user-mode home's): the file must be the account's
     * own (a link is refused, not followed); a new one is made mode 0660 in
     * the spool's group (from the directory's set-group-id bit), owned by
     * the account even when root writes it.
     */
    static void deliverSpool(Path file, int uid, String fromLine, byte[] header, InputStream message)
        throws IOException {
        appendLocked(file, () -> {
            FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                ownSpoolFile(file, ch, uid);
                return ch;
            } catch (IOException e) {
                ch.close();
                throw e;
            }
        }, fromLine, header, message);
    }

    /** Opens (and checks) the mailbox, once its dotlock is held. */
    public interface Opener {
        FileChannel open() throws IOException;
    }

    /**
     * Appends to {@code file} under the dotlock {@code file.lock}, taken
     * before {@code opener} opens it (a reader holding the dotlock may
     * replace the file), and an fcntl lock.
     */
    public static void appendLocked(Path file, Opener opener, String fromLine, byte[] header, InputStream message)
        throws IOException {
        Path dotlock = takeDotlock(file);
        try (FileChannel ch = opener.open()) {
            append(ch, fromLine, header, message);
        } finally {
            Files.deleteIfExists(dotlock);
        }
    }

    /** The message appended under an fcntl lock, fsynced; on any failure the file is cut back to its old length. */
    private static void append(FileChannel ch, String fromLine, byte[] header, InputStream message) throws IOException {
        FileLock lock = fcntlLock(ch);
        long start = ch.size();
        try {
            ch.position(start);
            write(ch, (fromLine + "\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            write(ch, header);
            copyQuoted(message, ch);
            write(ch, new byte[] {'\n'});
            ch.force(true);
        } catch (IOException e) {
            ch.truncate(start);
            ch.force(true);
            throw e;
        } finally {
            lock.release();
        }
    }

    private static void ownSpoolFile(Path file, FileChannel ch, int uid) throws IOException {
        int owner = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (ch.size() == 0 && owner != uid && owner == 0) {
            // Made just now by root (a user-mode home run as root): give it to the account.
            Files.setAttribute(file, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            owner = uid;
        }
        if (owner != uid) {
            throw new IOException("Uh-oh: " + file + " belongs to uid " + owner + ", not the recipient. (#4.7.0)");
        }
        if (ch.size() == 0) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));
        }
    }

    /** {@code FILE.lock}, made exclusively (never through a link), for Debian's mail readers; returns its path. */
    private static Path takeDotlock(Path file) throws IOException {
        Path dotlock = file.resolveSibling(file.getFileName() + ".lock");
        long deadline = System.currentTimeMillis() + LOCK_WAIT_MILLIS;
        for (;;) {
            try {
                Files.createFile(dotlock, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                return dotlock;
            } catch (FileAlreadyExistsException e) {
                try {
                    if (Instant.now().toEpochMilli() - Files.getLastModifiedTime(dotlock).toMillis() > STALE_MILLIS) {
                        Files.deleteIfExists(dotlock);
                        continue;
                    }
                } catch (IOException gone) {
                    continue;
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IOException("Timeout while waiting for the lock on " + dotlock + ". (#4.2.1)");
            }
            sleep();
        }
    }

    private static FileLock fcntlLock(FileChannel ch) throws IOException {
        long deadline = System.currentTimeMillis() + LOCK_WAIT_MILLIS;
        for (;;) {
            FileLock l = ch.tryLock();
            if (l != null) {
                return l;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IOException("Timeout while waiting for the mbox lock. (#4.2.1)");
            }
            sleep();
        }
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a lock");
        }
    }

    private static final byte[] FROM = {'F', 'r', 'o', 'm', ' '};

    /**
     * mboxrd quoting: a line that is ">*From " gets one more ">". Streamed
     * with a bounded state (the count of a line's leading ">" and how much
     * of "From " followed), never a whole line in memory, however long.
     */
    static void copyQuoted(InputStream message, FileChannel ch) throws IOException {
        BufferedInputStream in = new BufferedInputStream(message, 64 * 1024);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024 + 16);
        boolean lineStart = true;
        long quotes = 0;   // ">" at the start of this line, not yet written
        int matched = 0;   // bytes of "From " after them, not yet written
        for (int c; (c = in.read()) >= 0; ) {
            if (lineStart) {
                if (matched == 0 && c == '>') {
                    quotes++;
                    continue;
                }
                if (c == FROM[matched]) {
                    if (++matched < FROM.length) {
                        continue;
                    }
                    out.write('>');   // a From line: one more
                }
                pending(out, ch, quotes, matched);
                quotes = 0;
                lineStart = false;
                if (matched == FROM.length) {
                    matched = 0;
                    continue;
                }
                matched = 0;
            }
            out.write(c);
            lineStart = c == '\n';
            if (out.size() >= 64 * 1024) {
                write(ch, out.toByteArray());
                out.reset();
            }
        }
        pending(out, ch, quotes, matched);
        write(ch, out.toByteArray());
    }

    /** The held back start of a line: its ">"s, then the part of "From " that matched. */
    private static void pending(ByteArrayOutputStream out, FileChannel ch, long quotes, int matched) throws IOException {
        for (long i = 0; i < quotes; i++) {
            out.write('>');
            if (out.size() >= 64 * 1024) {
                write(ch, out.toByteArray());
                out.reset();
            }
        }
        out.write(FROM, 0, matched);
    }

    private static void write(FileChannel ch, byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b);
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
