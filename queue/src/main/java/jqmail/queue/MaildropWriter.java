package jqmail.queue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import jqmail.common.Address;
import jqmail.common.EnvelopeWriter;
import jqmail.common.Fsync;

/**
 * Writes a message into {@code queue/maildrop/} when the queue daemon is
 * down, so mail from cron, sendmail and qmail-inject is never lost. Runs
 * as the submitting user; the file's owner is the sender's identity.
 *
 * <p>The file is written as {@code t<name>}, fsynced, made readable by the
 * queue daemon (0644: the directory is 1733, so nobody can list it and the
 * 128-bit random name cannot be guessed), then renamed {@code m<name>} and
 * the rename made durable (see {@link #syncName}); only {@code m} files are
 * picked up. Its layout is
 * a {@link QueueFile} without the u and p records.
 */
public final class MaildropWriter {
    public static final String TEMP_PREFIX = "t";
    public static final String READY_PREFIX = "m";
    public static final String REJECTED_PREFIX = "x";

    private MaildropWriter() {
    }

    /**
     * Makes the rename durable. The directory's owner fsyncs the directory;
     * an ordinary user cannot open a 1733 directory, so it fsyncs the renamed
     * file again instead, which on ext4 and XFS commits the journal
     * transaction holding the rename (the rename changed the file's ctime).
     */
    static void syncName(Path dir, FileChannel file) throws IOException {
        try {
            Fsync.directory(dir);
        } catch (java.nio.file.AccessDeniedException e) {
            file.force(true);
        }
    }

    /**
     * 128 bits from /dev/urandom, as hex: the maildrop cannot be listed, so a
     * file's name is what keeps other users from reading it (its mode is
     * 0644 for the daemon). Read directly: a SecureRandom costs a program
     * started per message tens of milliseconds to set up.
     */
    private static String randomHex() throws IOException {
        byte[] b = new byte[16];
        try (java.io.FileInputStream in = new java.io.FileInputStream("/dev/urandom")) {
            for (int n = 0; n < b.length; ) {
                int r = in.read(b, n, b.length - n);
                if (r < 0) {
                    throw new IOException("/dev/urandom ended");
                }
                n += r;
            }
        }
        StringBuilder h = new StringBuilder(32);
        for (byte x : b) {
            h.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
        }
        return h.toString();
    }

    /**
     * Streams {@code message} into the maildrop with the given envelope.
     *
     * @return the file written
     */
    public static Path write(Path maildrop, InputStream message, Address sender, List<Address> recipients)
        throws IOException {
        String name = (System.currentTimeMillis() / 1000) + "." + randomHex();
        Path tmp = maildrop.resolve(TEMP_PREFIX + name);
        Path ready = maildrop.resolve(READY_PREFIX + name);
        boolean done = false;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long body = 0;
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = message.read(buf)) > 0; ) {
                ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                while (b.hasRemaining()) {
                    body += ch.write(b);
                }
            }
            ByteBuffer env = ByteBuffer.wrap(new EnvelopeWriter().sender(sender).recipients(recipients).end().toByteArray());
            while (env.hasRemaining()) {
                ch.write(env);
            }
            ByteBuffer footer = ByteBuffer.wrap(QueueFile.footer(body));
            while (footer.hasRemaining()) {
                ch.write(footer);
            }
            ch.force(true);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, ready, StandardCopyOption.ATOMIC_MOVE);
            done = true;
            syncName(maildrop, ch);
            return ready;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
