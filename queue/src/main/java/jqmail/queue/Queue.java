package jqmail.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import jqmail.common.Fsync;
import jqmail.common.GroupSync;
import jqmail.common.QueueId;
import jqmail.common.Unlink;

/**
 * The queue's directories and the verbs that move a message through them.
 * The state table is in this package's documentation; every verb here is
 * one of its arrows. Only the queue daemon calls the writing verbs.
 */
public final class Queue {
    /** Queue files: the owner writes, the queue's group (the scheduler, remote delivery) reads. */
    private static final FileAttribute<Set<PosixFilePermission>> MODE =
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----"));
    private final Path root;
    private final GroupSync todoSync;
    /** The name prefix of a finished message's file kept in tmp/ to be written again; never a queue id. */
    public static final String KEPT_PREFIX = "free.";
    /** The queue daemon's kept files ({@link #reuseFiles}); null elsewhere. */
    private volatile KeptFiles pool;

    /**
     * Finished messages' files kept to be written again for new messages
     * (the queue daemon's {@code FilePool} says why and why it is safe).
     */
    public interface KeptFiles {
        /** A name under tmp/, starting with {@link #KEPT_PREFIX}, never used before. */
        Path newName();

        /** At start, a kept file's name found in tmp/: later names count on from above it. */
        void sawName(String name);

        /** Takes a file just renamed to a {@link #newName} out of {@code left} (null: found at start); false if unlinked. */
        boolean keep(Path file, Path left) throws IOException;

        /** An empty file ready to be written, or null. */
        Path take();

        /** Makes the files kept meanwhile ready: fsyncs the directories they left, empties them. */
        void sync();

        /** How many are kept, ready or waiting. */
        int size();
    }

    public Queue(Path root) {
        this.root = root;
        this.todoSync = new GroupSync(todo());
    }

    public Path root() {
        return root;
    }

    public Path tmp() {
        return root.resolve("tmp");
    }

    public Path todo() {
        return root.resolve("todo");
    }

    public Path mess() {
        return root.resolve("mess");
    }

    public Path maildrop() {
        return root.resolve("maildrop");
    }

    public Path lock() {
        return root.resolve("lock");
    }

    public Path trigger() {
        return lock().resolve("trigger");
    }

    /**
     * The queue daemon, before {@link #recover}: finished messages' files
     * are kept and written again for new messages instead of unlinked.
     */
    public void reuseFiles(KeptFiles kept) {
        pool = kept;
    }

    /** How many finished messages' files are kept for new messages, ready or waiting for an fsync. */
    public int keptFiles() {
        KeptFiles p = pool;
        return p == null ? 0 : p.size();
    }

    public Path tmpFile(QueueId id) {
        return tmp().resolve(id.toString());
    }

    public Path todoFile(QueueId id) {
        return todo().resolve(id.toString());
    }

    public Path messFile(QueueId id) {
        return mess().resolve(Integer.toString(id.split())).resolve(id.toString());
    }

    /**
     * S0 → S1: opens {@code tmp/ID} (or a kept {@code tmp/free.N}) for a new
     * message; the caller writes the body and envelope into it and then
     * commits or aborts it.
     */
    public Incoming create(QueueId id) throws IOException {
        KeptFiles keptFiles = pool;
        Path kept = keptFiles == null ? null : keptFiles.take();
        if (kept != null) {
            try {
                return new Incoming(id, kept, FileChannel.open(kept, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING));
            } catch (IOException e) {
                Files.deleteIfExists(kept);   // gone or unusable: a new file instead
            }
        }
        Path p = tmpFile(id);
        FileChannel ch = FileChannel.open(p, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), MODE);
        return new Incoming(id, p, ch);
    }

    /**
     * S1 → S2, the commit point: fsync the file, rename it into
     * {@code todo/}, fsync {@code todo/} (shared with concurrent commits).
     * When this returns the message is on stable storage and may be
     * acknowledged.
     */
    public void commit(Incoming in) throws IOException {
        todoSync.begin();
        Path todo = todoFile(in.id());
        try {
            in.finish();
            Files.move(in.path(), todo, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            todoSync.abandon();
            Files.deleteIfExists(in.path());
            throw e;
        }
        try {
            todoSync.syncBegun();
        } catch (IOException e) {
            // Not known durable, so not acknowledged: take it back rather than deliver it unasked.
            Files.deleteIfExists(todo);
            throw e;
        }
    }

    /**
     * S2 → S3, asked for by the scheduler once it has read the envelope and
     * written its own state: {@code todo/ID} moves to {@code mess/SPLIT/ID}.
     * Not fsynced: if a crash undoes the rename, the message is back in
     * {@code todo/} with the scheduler's state present, and the scheduler
     * asks again.
     *
     * @return false when the message is not in todo/ (already moved, or unknown)
     */
    public boolean preprocess(QueueId id) throws IOException {
        try {
            Files.move(todoFile(id), messFile(id), StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (NoSuchFileException e) {
            return Files.exists(messFile(id));
        }
    }

    /**
     * S3 (or S2) → S0: removes a finished message's file; in the queue
     * daemon, by renaming it into {@code tmp/} to be emptied and kept.
     *
     * @return false when there was nothing to remove
     */
    public boolean remove(QueueId id) throws IOException {
        KeptFiles p = pool;
        if (p == null) {
            boolean removed = Unlink.ifPresent(messFile(id));
            return Unlink.ifPresent(todoFile(id)) || removed;
        }
        Path mess = messFile(id);
        Path todo = todoFile(id);
        Path free = p.newName();
        for (Path f : new Path[] {mess, todo}) {
            try {
                Files.move(f, free, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                continue;   // not there: it may still be in todo/
            }
            try {
                p.keep(free, f.getParent());
            } catch (IOException e) {
                Files.move(free, f, StandardCopyOption.ATOMIC_MOVE);   // neither kept nor removable: as it was
                throw e;
            }
            if (f == mess) {
                Unlink.ifPresent(todo);   // a second copy (queue fsck's case) goes too
            }
            return true;
        }
        return false;
    }

    /**
     * Whether a message is still queued under one of its names. A reader
     * asks after opening the message: the queue daemon writes a finished
     * message's file again for a later message once no one has it open, and
     * an open that raced the removal is seen here, because a queue id names
     * one message only.
     */
    public boolean stillQueued(QueueId id) {
        // todo/ first: a message moves from todo/ to mess/, so one moving meanwhile is found in mess/.
        // Files.exists without NOFOLLOW_LINKS reports a miss without an exception on JDK 17; a queue
        // file is never a link.
        return Files.exists(todoFile(id)) || Files.exists(messFile(id));
    }

    /** Where a message is, as far as the queue daemon's directories tell. */
    public enum Stage { TODO, MESS }

    /** A committed message: its id, its stage and its file. */
    public record Entry(QueueId id, Stage stage, Path file) {
    }

    /** Every committed message: {@code todo/} first, then {@code mess/} in split order. */
    public List<Entry> walk() throws IOException {
        List<Entry> out = new ArrayList<>();
        for (QueueId id : idsIn(todo())) {
            out.add(new Entry(id, Stage.TODO, todoFile(id)));
        }
        for (int s = 0; s < QueueId.SPLIT; s++) {
            for (QueueId id : idsIn(mess().resolve(Integer.toString(s)))) {
                out.add(new Entry(id, Stage.MESS, messFile(id)));
            }
        }
        return out;
    }

    /** Number of committed messages not yet preprocessed. */
    public int todoCount() throws IOException {
        return idsIn(todo()).size();
    }

    /**
     * At the queue daemon's start: removes the scratch files of injections
     * that were cut off (S1 → S0). Nothing there was ever acknowledged.
     * Kept files (and injections cut off while writing one) are emptied
     * and kept again.
     *
     * @return how many scratch files were removed
     */
    public int recover() throws IOException {
        int n = 0;
        KeptFiles p = pool;
        List<Path> kept = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp())) {
            for (Path f : ds) {
                String name = f.getFileName().toString();
                if (p != null && name.startsWith(KEPT_PREFIX)) {
                    p.sawName(name);
                    kept.add(f);
                } else {
                    Files.deleteIfExists(f);
                    n++;
                }
            }
        }
        if (!kept.isEmpty()) {
            // Whichever directory each left, its departure reaches the disk before the file is written again.
            Fsync.directory(todo());
            for (int s = 0; s < QueueId.SPLIT; s++) {
                Fsync.directory(mess().resolve(Integer.toString(s)));
            }
            for (Path f : kept) {
                p.keep(f, null);
            }
            p.sync();
        }
        return n;
    }

    /** The highest id in use anywhere in the queue, or 0. */
    public long highestId() throws IOException {
        long max = 0;
        for (Entry e : walk()) {
            max = Math.max(max, e.id().value());
        }
        for (QueueId id : idsIn(tmp())) {
            max = Math.max(max, id.value());
        }
        return max;
    }

    /** How long a free-space reading is reused: the floor is coarse, a statfs per message is not free. */
    private static final long SPACE_TTL_NANOS = 100_000_000L;
    private volatile long spaceReadAt;
    private volatile long space;

    /** Free bytes for an unprivileged writer on the queue's file system, read at most every 100 ms. */
    public long usableSpace() throws IOException {
        long now = System.nanoTime();
        if (spaceReadAt == 0 || now - spaceReadAt > SPACE_TTL_NANOS) {
            space = fileStore().getUsableSpace();
            spaceReadAt = now;
        }
        return space;
    }

    private FileStore store;

    private synchronized FileStore fileStore() throws IOException {
        if (store == null) {
            store = Files.getFileStore(root);
        }
        return store;
    }

    long todoFsyncs() {
        return todoSync.fsyncCount();
    }

    /** The ids named by a directory's entries, in order; other names are skipped; a missing directory is empty. */
    public static List<QueueId> idsIn(Path dir) throws IOException {
        List<QueueId> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                QueueId id = QueueId.parse(p.getFileName().toString());
                if (id != null) {
                    out.add(id);
                }
            }
        } catch (NoSuchFileException e) {
            return out;
        }
        out.sort(null);
        return out;
    }

    /**
     * A message being written in {@code tmp/}: its body, then its envelope,
     * then (at commit) the footer. Not thread-safe: one session owns it.
     */
    public static final class Incoming implements AutoCloseable {
        /** Small messages reach the file in one write: Received line, body, envelope and footer together. */
        private static final int BUFFER = 32 * 1024;

        private final QueueId id;
        private final Path path;
        private final FileChannel channel;
        private final ByteBuffer pending = ByteBuffer.allocate(BUFFER);
        private long bodyLength;
        private boolean inEnvelope;
        private boolean finished;

        Incoming(QueueId id, Path path, FileChannel channel) {
            this.id = id;
            this.path = path;
            this.channel = channel;
        }

        public QueueId id() {
            return id;
        }

        public Path path() {
            return path;
        }

        public long bodyLength() {
            return bodyLength;
        }

        /** Appends body bytes; all body bytes come before any envelope byte. */
        public void writeBody(ByteBuffer b) throws IOException {
            if (inEnvelope) {
                throw new IllegalStateException("body after envelope");
            }
            bodyLength += append(b);
        }

        /** Appends envelope bytes that the caller has already validated. */
        public void writeEnvelope(ByteBuffer b) throws IOException {
            inEnvelope = true;
            append(b);
        }

        private long append(ByteBuffer b) throws IOException {
            int n = b.remaining();
            if (n > pending.remaining()) {
                flush();
            }
            if (n >= pending.capacity()) {
                writeFully(b);
            } else {
                pending.put(b);
            }
            return n;
        }

        private void flush() throws IOException {
            pending.flip();
            writeFully(pending);
            pending.clear();
        }

        private void writeFully(ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }

        void finish() throws IOException {
            if (!inEnvelope) {
                throw new IllegalStateException("no envelope");
            }
            append(ByteBuffer.wrap(QueueFile.footer(bodyLength)));
            flush();
            channel.force(true);
            channel.close();
            finished = true;
        }

        /** Throws the scratch file away (S1 → S0); safe to call twice or after commit. */
        @Override
        public void close() {
            if (finished) {
                return;
            }
            finished = true;
            try {
                channel.close();
            } catch (IOException e) {
                // Deleting it below is what matters.
            }
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // Left for recover() at the next start.
            }
        }
    }
}
