package jqmail.local.deliver;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The message of one delivery, readable as often as its .qmail lines need:
 * kept in memory up to {@link #IN_MEMORY} bytes, beyond that in a private
 * temporary file (not fsynced: it only lives while the delivery runs), so
 * memory stays bounded whatever the message size.
 */
final class Spool implements Closeable {
    static final int IN_MEMORY = 256 * 1024;

    private final byte[] small;
    private final Path file;

    private Spool(byte[] small, Path file) {
        this.small = small;
        this.file = file;
    }

    /** Reads exactly {@code length} bytes from {@code in} (or everything, when length is -1). */
    static Spool read(InputStream in, long length, Path tmpDir) throws IOException {
        int first = length < 0 ? 64 * 1024 : (int) Math.min(length, 64 * 1024);
        ByteArrayOutputStream mem = new ByteArrayOutputStream(Math.max(first, 32));
        byte[] buf = new byte[Math.max(first, 1)];
        long left = length < 0 ? Long.MAX_VALUE : length;
        OutputStream out = mem;
        Path file = null;
        long total = 0;
        try {
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    if (length >= 0) {
                        throw new IOException("message ended early");
                    }
                    break;
                }
                if (file == null && total + n > IN_MEMORY) {
                    file = Files.createTempFile(tmpDir, "spool", "", PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
                    out = Files.newOutputStream(file);
                    mem.writeTo(out);
                }
                out.write(buf, 0, n);
                total += n;
                left -= n;
            }
            if (file != null) {
                out.close();
            }
            return new Spool(file == null ? mem.toByteArray() : null, file);
        } catch (IOException e) {
            if (file != null) {
                out.close();
                Files.deleteIfExists(file);
            }
            throw e;
        }
    }

    InputStream open() throws IOException {
        return small != null ? new ByteArrayInputStream(small) : Files.newInputStream(file);
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }
}
