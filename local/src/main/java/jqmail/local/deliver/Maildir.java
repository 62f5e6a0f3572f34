package jqmail.local.deliver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import jqmail.common.Control;
import jqmail.common.GroupSync;

/**
 * Delivery into a Maildir (qmail's maildir(5)): write {@code tmp/NAME},
 * fsync it, link it into {@code new/}, remove the tmp name, fsync {@code new/}
 * (one fsync shared by deliveries made into the same directory at the same
 * time), and only then report success. Names follow the Maildir spec:
 * {@code SECONDS.M<usec>P<pid>Q<n>.HOST}, unique in this process and host.
 * A second Maildir line of the same delivery gets the same bytes, so it
 * gets a hard link to the first file, not a copy ({@link #share}).
 */
final class Maildir {
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final String HOST = Control.systemHostName().replace("/", "\\057").replace(":", "\\072");
    private static final long PID = ProcessHandle.current().pid();
    private static final Map<Path, GroupSync> NEW_DIRS = new ConcurrentHashMap<>();

    private Maildir() {
    }

    /** Writes {@code header} then the message; returns the name in new/. */
    static Path deliver(Path maildir, byte[] header, InputStream message) throws IOException {
        Path tmp = maildir.resolve("tmp");
        Path nw = maildir.resolve("new");
        String name = uniqueName();
        Path t = tmp.resolve(name);
        GroupSync newSync = NEW_DIRS.computeIfAbsent(nw, GroupSync::new);
        Path target = nw.resolve(name);
        newSync.begin();
        try {
            try (FileChannel ch = FileChannel.open(t, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
                // A buffer the message's size (as far as the stream tells) up to 64 KiB, not always 64 KiB
                // to zero; the header goes out with the first block, one write for a small message.
                byte[] buf = new byte[Math.min(64 * 1024, Math.max(8 * 1024, message.available()))];
                ByteBuffer head = ByteBuffer.wrap(header);
                for (int n; (n = message.read(buf)) > 0; ) {
                    ByteBuffer block = ByteBuffer.wrap(buf, 0, n);
                    while (head.hasRemaining() || block.hasRemaining()) {
                        ch.write(new ByteBuffer[] {head, block});
                    }
                }
                write(ch, head);   // an empty message
                ch.force(true);
            }
            Files.createLink(target, t);
        } catch (FileAlreadyExistsException e) {
            newSync.abandon();
            Files.deleteIfExists(t);
            throw new IOException("Unable to create a unique file name in " + tmp + ". (#4.3.0)");
        } catch (java.nio.file.NoSuchFileException e) {
            newSync.abandon();
            Files.deleteIfExists(t);
            throw new IOException("Unable to open " + maildir + ": not a maildir. (#4.2.1)");
        } catch (IOException | RuntimeException e) {
            newSync.abandon();
            Files.deleteIfExists(t);
            throw e;
        }
        Files.deleteIfExists(t);
        newSync.syncBegun();
        return target;
    }

    /**
     * Delivers the same bytes as {@code delivered} (a file in another
     * Maildir's new/, already durable) by a hard link under a new unique name:
     * one stored copy. False, and nothing done, when the two are on different
     * file systems or the link is refused; the caller then writes a copy.
     */
    static boolean share(Path maildir, Path delivered) throws IOException {
        Path nw = maildir.resolve("new");
        if (!Files.isDirectory(nw) || !Files.isDirectory(maildir.resolve("tmp"))) {
            throw new IOException("Unable to open " + maildir + ": not a maildir. (#4.2.1)");
        }
        Path target = nw.resolve(uniqueName());
        try {
            Files.createLink(target, delivered);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
        NEW_DIRS.computeIfAbsent(nw, GroupSync::new).sync();
        return true;
    }

    /** The Maildir spec's unique name: SECONDS.M&lt;usec&gt;P&lt;pid&gt;Q&lt;n&gt;.HOST. */
    private static String uniqueName() {
        Instant now = Instant.now();
        return now.getEpochSecond() + ".M" + now.getNano() / 1000 + "P" + PID + "Q" + COUNTER.incrementAndGet()
            + "." + HOST;
    }

    private static void write(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
