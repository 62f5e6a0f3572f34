package jqmail.common.cdb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a cdb file in memory and installs it atomically: written to a
 * temporary file, fsynced, renamed over the target (tcprules' contract:
 * readers see the old rules or the new, never half).
 */
public final class CdbWriter {
    private final ByteArrayOutputStream records = new ByteArrayOutputStream();
    private final List<long[]> entries = new ArrayList<>();

    public void add(byte[] key, byte[] data) {
        long pos = 2048L + records.size();
        ByteBuffer h = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(key.length).putInt(data.length);
        records.writeBytes(h.array());
        records.writeBytes(key);
        records.writeBytes(data);
        entries.add(new long[] {Integer.toUnsignedLong(Cdb.hash(key)), pos});
    }

    public byte[] toByteArray() {
        List<List<long[]>> tables = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            tables.add(new ArrayList<>());
        }
        for (long[] e : entries) {
            tables.get((int) (e[0] & 0xff)).add(e);
        }
        ByteBuffer header = ByteBuffer.allocate(2048).order(ByteOrder.LITTLE_ENDIAN);
        ByteArrayOutputStream hashes = new ByteArrayOutputStream();
        long pos = 2048L + records.size();
        for (List<long[]> t : tables) {
            int slots = t.size() * 2;
            header.putInt((int) pos).putInt(slots);
            long[][] slot = new long[slots][];
            for (long[] e : t) {
                int i = (int) ((e[0] >>> 8) % slots);
                while (slot[i] != null) {
                    i = (i + 1) % slots;
                }
                slot[i] = e;
            }
            ByteBuffer s = ByteBuffer.allocate(slots * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (long[] e : slot) {
                s.putInt(e == null ? 0 : (int) e[0]).putInt(e == null ? 0 : (int) e[1]);
            }
            hashes.writeBytes(s.array());
            pos += slots * 8L;
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(header.array());
        all.writeBytes(records.toByteArray());
        all.writeBytes(hashes.toByteArray());
        return all.toByteArray();
    }

    /** Writes {@code tmp}, fsyncs it and renames it to {@code target}. */
    public void install(Path target, Path tmp) throws IOException {
        byte[] bytes = toByteArray();
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
