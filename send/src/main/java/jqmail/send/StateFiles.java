package jqmail.send;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import jqmail.common.QueueId;

/**
 * The scheduler's own files, qmail-send's layout, none of them fsynced
 * (DESIGN §4.6): the message file's embedded envelope is the authority, so
 * a lost state file is rebuilt from it at start.
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

    /** Writes the state of a newly taken message: info, then the channel files, all due now. */
    void create(Msg m) throws IOException {
        write(info(m.id), ("u" + m.uid + "\0F" + m.sender + "\0").getBytes(StandardCharsets.ISO_8859_1));
        Files.setLastModifiedTime(info(m.id), FileTime.fromMillis(m.birth * 1000));
        for (Msg.Kind k : Msg.Kind.values()) {
            Msg.Job j = m.job(k);
            if (j.recipients.isEmpty()) {
                continue;
            }
            StringBuilder b = new StringBuilder();
            for (Recipient r : j.recipients) {
                b.append('T').append(r.address).append('\0');
            }
            write(channel(k, m.id), b.toString().getBytes(StandardCharsets.ISO_8859_1));
            Files.setLastModifiedTime(channel(k, m.id), FileTime.fromMillis(m.birth * 1000));
        }
    }

    /** Reads a message's state back; null when it has no info file. */
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
            if (rec.startsWith("u")) {
                uid = Long.parseLong(rec.substring(1));
            } else if (rec.startsWith("F")) {
                sender = rec.substring(1);
            }
        }
        if (sender == null) {
            throw new IOException(info(id) + " has no sender record");
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
        m.held = Files.exists(hold(id));
        m.bouncePending = Files.exists(bounce(id));
        return m;
    }

    private static List<String> records(byte[] data) {
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
        try (RandomAccessFile f = new RandomAccessFile(channel(k, id).toFile(), "rw")) {
            f.seek(offset);
            f.write('D');
        }
    }

    void appendBounce(QueueId id, String address, String text) throws IOException {
        String record = "<" + address.replace('\n', '_') + ">:\n" + text.replace("\n\n", "\n/\n").strip() + "\n\n";
        Files.write(bounce(id), record.getBytes(StandardCharsets.ISO_8859_1), StandardOpenOption.CREATE,
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
        Files.deleteIfExists(channel(k, id));
    }

    /** Removes every state file of a finished message; the message file is the queue daemon's to remove. */
    void removeAll(QueueId id) throws IOException {
        Files.deleteIfExists(channel(Msg.Kind.LOCAL, id));
        Files.deleteIfExists(channel(Msg.Kind.REMOTE, id));
        Files.deleteIfExists(bounce(id));
        Files.deleteIfExists(info(id));
    }

    /** Every id with an info file, in split order. */
    List<QueueId> infoIds() throws IOException {
        List<QueueId> out = new ArrayList<>();
        for (int s = 0; s < QueueId.SPLIT; s++) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(root.resolve("info").resolve(Integer.toString(s)))) {
                for (Path p : ds) {
                    QueueId id = QueueId.parse(p.getFileName().toString());
                    if (id != null) {
                        out.add(id);
                    }
                }
            } catch (NoSuchFileException e) {
                // A split directory missing: nothing there.
            }
        }
        return out;
    }

    private static void write(Path p, byte[] b) throws IOException {
        Files.write(p, b, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }
}
