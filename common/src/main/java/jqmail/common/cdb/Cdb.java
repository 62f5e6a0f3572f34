package jqmail.common.cdb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A constant database in D. J. Bernstein's cdb format, the format of
 * tcprules' rules.cdb and qmail's users/cdb, so files made by Debian's
 * tcprules and ours can be read by either side. The whole file is mapped;
 * every offset read from it is checked against its size, so a damaged file
 * gives "not found" or an IOException, never a wild read.
 */
public final class Cdb {
    private final ByteBuffer b;

    private Cdb(ByteBuffer b) {
        this.b = b.order(ByteOrder.LITTLE_ENDIAN);
    }

    public static Cdb open(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 2048 || size > Integer.MAX_VALUE) {
                throw new IOException(p + ": not a cdb file");
            }
            return new Cdb(ch.map(FileChannel.MapMode.READ_ONLY, 0, size));
        }
    }

    public static Cdb of(byte[] bytes) throws IOException {
        if (bytes.length < 2048) {
            throw new IOException("not a cdb file");
        }
        return new Cdb(ByteBuffer.wrap(bytes));
    }

    /** cdb's hash: h = ((h << 5) + h) ^ c, from 5381, in 32 bits. */
    static int hash(byte[] key) {
        int h = 5381;
        for (byte c : key) {
            h = ((h << 5) + h) ^ (c & 0xff);
        }
        return h;
    }

    /** The data of the first record with this key, or null. */
    public byte[] get(byte[] key) throws IOException {
        int h = hash(key);
        int table = (h & 0xff) * 8;
        long pos = u32(table);
        long slots = u32(table + 4);
        if (slots == 0) {
            return null;
        }
        long start = (Integer.toUnsignedLong(h) >>> 8) % slots;
        for (long i = 0; i < slots; i++) {
            long slot = pos + ((start + i) % slots) * 8;
            long recordHash = u32(slot);
            long recordPos = u32(slot + 4);
            if (recordPos == 0) {
                return null;
            }
            if (recordHash == Integer.toUnsignedLong(h)) {
                byte[] data = match(recordPos, key);
                if (data != null) {
                    return data;
                }
            }
        }
        return null;
    }

    private byte[] match(long pos, byte[] key) throws IOException {
        long klen = u32(pos);
        long dlen = u32(pos + 4);
        if (klen != key.length) {
            return null;
        }
        check(pos + 8 + klen + dlen);
        for (int i = 0; i < key.length; i++) {
            if (b.get((int) (pos + 8 + i)) != key[i]) {
                return null;
            }
        }
        byte[] data = new byte[(int) dlen];
        b.get((int) (pos + 8 + klen), data);
        return data;
    }

    private long u32(long at) throws IOException {
        check(at + 4);
        return Integer.toUnsignedLong(b.getInt((int) at));
    }

    private void check(long end) throws IOException {
        if (end > b.limit() || end < 0) {
            throw new IOException("cdb file is damaged");
        }
    }
}
