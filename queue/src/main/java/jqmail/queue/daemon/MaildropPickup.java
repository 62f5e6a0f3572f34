package jqmail.queue.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.concurrent.TimeUnit;
import jnr.constants.platform.OpenFlags;
import jnr.posix.FileStat;
import jnr.posix.POSIX;
import jqmail.common.EnvelopeWriter;
import jqmail.common.Log;
import jqmail.queue.CorruptQueueFileException;
import jqmail.queue.MaildropWriter;
import jqmail.queue.Queue;
import jqmail.queue.QueueFile;

/**
 * Queues what {@code sendmail} and {@code qmail-inject} drop into
 * {@code queue/maildrop/} (Postfix's pickup). Runs at start, whenever a
 * file appears (the directory is watched), on SIGALRM and every minute.
 *
 * <p>Maildrop files come from any local user and are not trusted: each is
 * opened without following links, must be a regular file with one link,
 * and is attributed to the uid that owns it, whatever it says inside. The
 * envelope is checked like an injected one. A file that fails is renamed
 * {@code x...} and left for the administrator, never queued.
 *
 * <p>A crash between the commit and the unlink queues the file again at
 * the next start: a duplicate, never a loss.
 */
final class MaildropPickup implements Runnable {
    /** Writers that died before their rename leave t-files; qmail's OSSIFIED age. */
    private static final long STALE_SECONDS = 129_600;

    private final QueueDaemon daemon;
    private final POSIX posix;
    private final Object wake = new Object();
    private boolean poked = true;

    MaildropPickup(QueueDaemon daemon, POSIX posix) {
        this.daemon = daemon;
        this.posix = posix;
    }

    /** Asks for a scan now (SIGALRM). */
    void poke() {
        synchronized (wake) {
            poked = true;
            wake.notifyAll();
        }
    }

    @Override
    public void run() {
        Path dir = daemon.queue().maildrop();
        Thread watcher = new Thread(() -> watch(dir), "maildrop-watch");
        watcher.setDaemon(true);
        watcher.start();
        while (!Thread.currentThread().isInterrupted()) {
            synchronized (wake) {
                try {
                    if (!poked) {
                        wake.wait(60_000);
                    }
                } catch (InterruptedException e) {
                    return;
                }
                poked = false;
            }
            scan(dir);
        }
    }

    private void watch(Path dir) {
        try (WatchService ws = dir.getFileSystem().newWatchService()) {
            dir.register(ws, StandardWatchEventKinds.ENTRY_CREATE);
            for (;;) {
                var key = ws.poll(1, TimeUnit.HOURS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                    poke();
                }
            }
        } catch (IOException | InterruptedException | ClosedWatchServiceException e) {
            // The minute's rescan still finds everything.
        }
    }

    /** One pass over the directory. */
    void scan(Path dir) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.startsWith(MaildropWriter.READY_PREFIX)) {
                    pickUp(p);
                } else if (name.startsWith(MaildropWriter.TEMP_PREFIX)) {
                    removeIfStale(p);
                }
            }
        } catch (IOException e) {
            Log.warning("unable to scan " + dir + ": " + e.getMessage());
        }
    }

    private void pickUp(Path p) {
        int fd = posix.open(p.toString(), OpenFlags.O_RDONLY.intValue() | OpenFlags.O_NOFOLLOW.intValue()
            | OpenFlags.O_NONBLOCK.intValue() | OpenFlags.O_CLOEXEC.intValue(), 0);
        if (fd < 0) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                reject(p, "cannot open it without following links");
            }
            return;
        }
        try {
            FileStat st = posix.fstat(fd);
            if (!st.isFile() || st.nlink() != 1) {
                reject(p, "not a regular file with one link");
                return;
            }
            // /proc/self/fd/N reopens exactly the file checked above, wherever its name now points.
            try (FileChannel ch = FileChannel.open(Path.of("/proc/self/fd/" + fd), StandardOpenOption.READ)) {
                queue(p, ch, st.uid());
            }
        } catch (CorruptQueueFileException e) {
            reject(p, e.getMessage());
        } catch (IOException e) {
            Log.warning("unable to pick up " + p.getFileName() + ": " + e.getMessage() + "; will retry");
        } finally {
            posix.close(fd);
        }
    }

    private void queue(Path p, FileChannel ch, int uid) throws IOException, CorruptQueueFileException {
        QueueFile.Envelope env = QueueFile.readEnvelope(ch, false);
        long pid = ProcessHandle.current().pid();
        try (Queue.Incoming in = daemon.queue().create(daemon.ids().next())) {
            in.writeBody(ByteBuffer.wrap(ReceivedLine.format(pid, uid, daemon.identities(), ZonedDateTime.now())));
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            long pos = 0;
            while (pos < env.bodyLength()) {
                buf.clear().limit((int) Math.min(buf.capacity(), env.bodyLength() - pos));
                int n = ch.read(buf, pos);
                if (n < 0) {
                    throw new CorruptQueueFileException("file shrank while read");
                }
                pos += n;
                buf.flip();
                in.writeBody(buf);
            }
            in.writeEnvelope(ByteBuffer.wrap(new EnvelopeWriter().uid(Integer.toUnsignedLong(uid)).pid(pid)
                .sender(env.sender()).recipients(env.recipients()).end().toByteArray()));
            daemon.queue().commit(in);
            Files.delete(p);
            daemon.committed(in, env.sender(), env.recipients().size(), "maildrop uid " + Integer.toUnsignedString(uid));
        }
    }

    private void reject(Path p, String why) {
        Path aside = p.resolveSibling(MaildropWriter.REJECTED_PREFIX + p.getFileName());
        Log.warning("maildrop file " + p.getFileName() + " refused: " + why + "; left as " + aside.getFileName());
        try {
            Files.move(p, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Log.warning("unable to set " + p.getFileName() + " aside: " + e.getMessage());
        }
    }

    private void removeIfStale(Path p) {
        try {
            FileTime t = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
            if (t.toInstant().isBefore(Instant.now().minusSeconds(STALE_SECONDS))) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            // Renamed by its writer meanwhile.
        } catch (IOException e) {
            Log.warning("unable to remove stale " + p.getFileName() + ": " + e.getMessage());
        }
    }
}
