package jqmail.send;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import jqmail.common.Fsync;
import jqmail.common.QueueId;
import jqmail.common.Unlink;
import jqmail.queue.Queue;

/**
 * The scheduler's own files, qmail-send's layout, none of them fsynced
 * (DESIGN §4.6): the message file's embedded envelope is the authority, so
 * a lost state file is rebuilt from it at start.
 *
 * <p>Unlike qmail-send, the files are written only when a message has
 * something to remember that its envelope does not say: a deferral (the
 * next attempt), a recipient done while others wait, a failure to report
 * later. A message delivered at its first attempt, nearly all of them, never
 * has state files: three file creations and removals fewer per message, which
 * on this machine's ext4 was a quarter of the queue's CPU. A message in
 * mess/ without info/ID is therefore normal: at start it is rebuilt with
 * every recipient due, exactly what its state files would have said.
 *
 * <pre>
 * info/N/ID     u&lt;uid&gt;\0 F&lt;sender&gt;\0           mtime: the birth (qmail-send's rule)
 * local/N/ID    T&lt;addr&gt;\0 ...  a done record's T becomes D in place (the checkpoint)
 * remote/N/ID   the same for remote recipients      mtime: the next attempt
 * bounce/ID     &lt;addr&gt;:\n text\n \n ...         appended: the failures to report
 * hold/ID       present while the administrator holds the message
 * </pre>
 */
final class StateFiles {
    private final Path root;

    StateFiles(Path queueRoot) {
        this.root = queueRoot;
    }

    Path info(QueueId id) {
        return split("info", id);
    }

    Path channel(Msg.Kind k, QueueId id) {
        return split(k == Msg.Kind.LOCAL ? "local" : "remote", id);
    }

    Path bounce(QueueId id) {
        return root.resolve("bounce").resolve(id.toString());
    }

    Path hold(QueueId id) {
        return root.resolve("hold").resolve(id.toString());
    }

    private Path split(String dir, QueueId id) {
        return root.resolve(dir).resolve(Integer.toString(id.split())).resolve(id.toString());
    }

    /**
     * A message's state as of one instant on the scheduler's thread, to be
     * written by another: the files' contents and times, nothing shared.
     */
    record Image(QueueId id, byte[] info, long birth, byte[][] channels, long[] next, List<Bounces.Failure> failures) {
    }

    /** Takes the image of a message (on the scheduler's thread). */
    static Image image(Msg m) {
        byte[][] channels = new byte[Msg.Kind.values().length][];
        long[] next = new long[channels.length];
        for (Msg.Kind k : Msg.Kind.values()) {
            Msg.Job j = m.job(k);
            if (j.recipients.isEmpty() || !j.hasPending()) {
                continue;
            }
            StringBuilder b = new StringBuilder();
            for (Recipient r : j.recipients) {
                b.append(r.state == Recipient.State.DONE ? 'D' : 'T').append(r.address).append('\0');
            }
            channels[k.ordinal()] = b.toString().getBytes(StandardCharsets.ISO_8859_1);
            next[k.ordinal()] = j.next == 0 ? m.birth : j.next;
        }
        byte[] info = ("u" + m.uid + "\0F" + m.sender + "\0").getBytes(StandardCharsets.ISO_8859_1);
        return new Image(m.id, info, m.birth, channels, next, List.copyOf(m.failures));
    }

    /**
     * Writes a message's state for the first time: the failures, the channel
     * files, info/ID last. A message found at start without info/ID is
     * rebuilt from its envelope and any partial state is discarded.
     */
    void write(Image img) throws IOException {
        if (!img.failures().isEmpty()) {
            StringBuilder b = new StringBuilder();
            for (Bounces.Failure f : img.failures()) {
                b.append(f.record());
            }
            write(bounce(img.id()), b.toString().getBytes(StandardCharsets.ISO_8859_1));
        }
        for (Msg.Kind k : Msg.Kind.values()) {
            byte[] data = img.channels()[k.ordinal()];
            if (data != null) {
                write(channel(k, img.id()), data);
                stamp(channel(k, img.id()), img.next()[k.ordinal()]);
            }
        }
        // info/ID last, whole or not at all: a crash mid-write leaves only ID.tmp, which nothing reads.
        Path tmp = infoTmp(img.id());
        write(tmp, img.info());
        stamp(tmp, img.birth());
        Files.move(tmp, info(img.id()), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private Path infoTmp(QueueId id) {
        return info(id).resolveSibling(id + ".tmp");
    }

    /** Sets a file's mtime unless the file, just made, already has it. */
    private static void stamp(Path p, long epochSeconds) throws IOException {
        if (Math.abs(System.currentTimeMillis() / 1000 - epochSeconds) > 1) {
            Files.setLastModifiedTime(p, FileTime.fromMillis(epochSeconds * 1000));
        }
    }

    /**
     * Reads a message's state back; null when it has none. A damaged info
     * file (written by hand, or torn by a power cut: state files are not
     * fsynced) is discarded with all the message's state, so the message is
     * rebuilt from its envelope: its recipients are tried again.
     */
    Msg load(QueueId id, long bytes) throws IOException {
        byte[] info;
        try {
            info = Files.readAllBytes(info(id));
        } catch (NoSuchFileException e) {
            return null;
        }
        long birth = Files.getLastModifiedTime(info(id)).toMillis() / 1000;
        long uid = -1;
        String sender = null;
        for (String rec : records(info)) {
            if (rec.startsWith("u") && rec.length() > 1 && rec.length() < 12 && rec.substring(1).chars()
                .allMatch(Character::isDigit)) {
                uid = Long.parseLong(rec.substring(1));
            } else if (rec.startsWith("F")) {
                sender = rec.substring(1);
            }
        }
        if (sender == null) {
            jqmail.common.Log.warning("discarding the damaged state of msg " + id + " (" + info(id)
                + " has no sender record); its recipients are tried again");
            removeAll(id);
            return null;
        }
        Msg m = new Msg(id, sender, birth, uid, bytes);
        for (Msg.Kind k : Msg.Kind.values()) {
            Path f = channel(k, id);
            byte[] data;
            try {
                data = Files.readAllBytes(f);
            } catch (NoSuchFileException e) {
                continue;
            }
            Msg.Job j = m.job(k);
            j.next = Files.getLastModifiedTime(f).toMillis() / 1000;
            long offset = 0;
            for (String rec : records(data)) {
                if (!rec.isEmpty() && (rec.charAt(0) == 'T' || rec.charAt(0) == 'D')) {
                    j.recipients.add(new Recipient(rec.substring(1), offset, rec.charAt(0) == 'D'));
                }
                offset += rec.length() + 1;
            }
        }
        m.failures.addAll(Bounces.read(bounce(id)));
        m.stateOnDisk = true;
        return m;
    }

    /** The NUL-terminated records of a state file; a last record without its NUL (torn) is left out. */
    static List<String> records(byte[] data) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == 0) {
                out.add(new String(data, start, i - start, StandardCharsets.ISO_8859_1));
                start = i + 1;
            }
        }
        return out;
    }

    /** The checkpoint: one byte, T to D, in place (qmail's; a crash before it means one more delivery). */
    void markDone(Msg.Kind k, QueueId id, long offset) throws IOException {
        try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(channel(k, id),
            StandardOpenOption.WRITE)) {
            f.write(java.nio.ByteBuffer.wrap(new byte[] {'D'}), offset);
        }
    }

    void appendBounce(QueueId id, Bounces.Failure f) throws IOException {
        Files.write(bounce(id), f.record().getBytes(StandardCharsets.ISO_8859_1), StandardOpenOption.CREATE,
            StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    void setNext(Msg.Kind k, QueueId id, long epochSeconds) throws IOException {
        try {
            Files.setLastModifiedTime(channel(k, id), FileTime.fromMillis(epochSeconds * 1000));
        } catch (NoSuchFileException e) {
            // Finished meanwhile.
        }
    }

    void removeChannel(Msg.Kind k, QueueId id) throws IOException {
        Unlink.ifPresent(channel(k, id));
    }

    /** Removes every state file of a finished message; the message file is the queue daemon's to remove. */
    void removeAll(QueueId id) throws IOException {
        Unlink.ifPresent(channel(Msg.Kind.LOCAL, id));
        Unlink.ifPresent(channel(Msg.Kind.REMOTE, id));
        Unlink.ifPresent(bounce(id));
        Unlink.ifPresent(info(id));
        Unlink.ifPresent(infoTmp(id));
        Unlink.ifPresent(hold(id));
    }

    /** Creates or removes hold/ID; the directory is synced, so a hold outlives a crash. */
    void setHold(QueueId id, boolean on) throws IOException {
        Path p = hold(id);
        if (on) {
            Files.write(p, new byte[0], StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } else if (!Unlink.ifPresent(p)) {
            return;
        }
        Fsync.directory(p.getParent());
    }

    /** Every id in hold/. */
    java.util.Set<QueueId> holds() throws IOException {
        return new java.util.HashSet<>(Queue.idsIn(root.resolve("hold")));
    }

    /** Every id with an info file, in split order. */
    List<QueueId> infoIds() throws IOException {
        List<QueueId> out = new ArrayList<>();
        for (int s = 0; s < QueueId.SPLIT; s++) {
            out.addAll(Queue.idsIn(root.resolve("info").resolve(Integer.toString(s))));
        }
        return out;
    }

    private static void write(Path p, byte[] b) throws IOException {
        Files.write(p, b, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }
}
