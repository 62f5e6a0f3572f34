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
final class Mbox {
    static final long LOCK_WAIT_MILLIS = 30_000;
    private static final long STALE_MILLIS = 300_000;

    private Mbox() {
    }

    static void deliver(Path file, String fromLine, byte[] header, InputStream message) throws IOException {
        append(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ), -1,
            fromLine, header, message);
    }

    /**
     * Delivery into the account's file in the system spool, as Debian's
     * mail readers expect it: the file must be the account's own (a link
     * is refused, not followed); a new one is made mode 0660 in the
     * spool's group ({@code mail}, from the directory's set-group-id bit),
     * owned by the account even when root writes it.
     */
    static void deliverSpool(Path file, int uid, String fromLine, byte[] header, InputStream message)
        throws IOException {
        append(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ,
            LinkOption.NOFOLLOW_LINKS), uid, fromLine, header, message);
    }

    /** {@code uid} not -1: the file is a spool file that must belong to that uid. */
    private static void append(Path file, Set<? extends OpenOption> options, int uid, String fromLine, byte[] header,
                               InputStream message) throws IOException {
        Path dotlock = file.resolveSibling(file.getFileName() + ".lock");
        takeDotlock(dotlock);
        try (FileChannel ch = FileChannel.open(file, options,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            if (uid != -1) {
                ownSpoolFile(file, ch, uid);
            }
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
        } finally {
            Files.deleteIfExists(dotlock);
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

    private static void takeDotlock(Path dotlock) throws IOException {
        long deadline = System.currentTimeMillis() + LOCK_WAIT_MILLIS;
        for (;;) {
            try {
                Files.createFile(dotlock, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                return;
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

    /** mboxrd quoting: a line that is ">*From " gets one more ">". */
    static void copyQuoted(InputStream message, FileChannel ch) throws IOException {
        BufferedInputStream in = new BufferedInputStream(message, 64 * 1024);
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        for (int c; ; ) {
            c = in.read();
            if (c >= 0) {
                line.write(c);
            }
            if (c == '\n' || c < 0) {
                byte[] l = line.toByteArray();
                if (isFromLine(l)) {
                    out.write('>');
                }
                out.writeBytes(l);
                line.reset();
                if (out.size() > 60 * 1024 || c < 0) {
                    write(ch, out.toByteArray());
                    out.reset();
                }
                if (c < 0) {
                    return;
                }
            }
        }
    }

    private static boolean isFromLine(byte[] l) {
        int i = 0;
        while (i < l.length && l[i] == '>') {
            i++;
        }
        return l.length - i >= 5 && l[i] == 'F' && l[i + 1] == 'r' && l[i + 2] == 'o' && l[i + 3] == 'm' && l[i + 4] == ' ';
    }

    private static void write(FileChannel ch, byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b);
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
