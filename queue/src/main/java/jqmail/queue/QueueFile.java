package jqmail.queue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import jqmail.common.Address;
import jqmail.common.EnvelopeException;
import jqmail.common.EnvelopeReader;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * The one file a queued message is: its body, then its envelope, then a
 * fixed-size footer that says where the envelope starts.
 *
 * <pre>
 * body      the queue daemon's Received line, then the message as submitted
 * envelope  u&lt;uid&gt;\0 p&lt;pid&gt;\0 F&lt;sender&gt;\0 T&lt;rcpt&gt;\0 ... \0   (qmail's records)
 * footer    "\nJQ1 " + 16 lowercase hex digits of the body's length + "\n"   (22 bytes)
 * </pre>
 *
 * Body and envelope in one file means one fsync commits both (DESIGN §4.6);
 * the envelope cannot come first because qmail-queue's callers send the
 * message before the envelope and the body is streamed to disk as it
 * arrives. Maildrop files use the same layout without the u and p records.
 * The footer makes a torn or foreign file detectable: a reader checks it and
 * that the envelope ends exactly at the footer.
 */
public final class QueueFile {
    static final byte[] FOOTER_MAGIC = "\nJQ1 ".getBytes(StandardCharsets.US_ASCII);
    public static final int FOOTER_LENGTH = FOOTER_MAGIC.length + 16 + 1;

    private QueueFile() {
    }

    /** The footer for a body of {@code bodyLength} bytes. */
    public static byte[] footer(long bodyLength) {
        byte[] f = new byte[FOOTER_LENGTH];
        System.arraycopy(FOOTER_MAGIC, 0, f, 0, FOOTER_MAGIC.length);
        for (int i = 0; i < 16; i++) {   // %016x, without a Formatter: this runs once per message
            f[FOOTER_MAGIC.length + i] = (byte) Character.forDigit((int) (bodyLength >>> (60 - 4 * i)) & 0xf, 16);
        }
        f[FOOTER_LENGTH - 1] = '\n';
        return f;
    }

    /** The body length the footer records, after checking it fits a file of {@code size} bytes. */
    public static long bodyLength(FileChannel ch) throws IOException, CorruptQueueFileException {
        long size = ch.size();
        if (size < FOOTER_LENGTH + 1) {
            throw new CorruptQueueFileException("too short for a queue file: " + size + " bytes");
        }
        ByteBuffer b = ByteBuffer.allocate(FOOTER_LENGTH);
        while (b.hasRemaining()) {
            if (ch.read(b, size - FOOTER_LENGTH + b.position()) < 0) {
                throw new CorruptQueueFileException("file shrank while read");
            }
        }
        byte[] f = b.array();
        for (int i = 0; i < FOOTER_MAGIC.length; i++) {
            if (f[i] != FOOTER_MAGIC[i]) {
                throw new CorruptQueueFileException("no queue file footer");
            }
        }
        if (f[FOOTER_LENGTH - 1] != '\n') {
            throw new CorruptQueueFileException("no queue file footer");
        }
        long body = 0;
        for (int i = FOOTER_MAGIC.length; i < FOOTER_LENGTH - 1; i++) {
            int d = Character.digit(f[i], 16);
            if (d < 0 || Character.isUpperCase(f[i])) {
                throw new CorruptQueueFileException("bad length in queue file footer");
            }
            body = body * 16 + d;
        }
        if (body < 0 || body > size - FOOTER_LENGTH - 1) {
            throw new CorruptQueueFileException("footer's body length does not fit the file");
        }
        return body;
    }

    /** What a queue file's envelope says. */
    public record Envelope(long bodyLength, long uid, long pid, Address sender, List<Address> recipients) {
    }

    /**
     * Reads and checks a queue file's envelope: the footer, the records in
     * order ({@code u}, {@code p} only when {@code withIds}), the final empty
     * record, and that it ends exactly at the footer.
     */
    public static Envelope readEnvelope(Path file, boolean withIds) throws IOException, CorruptQueueFileException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readEnvelope(ch, withIds);
        }
    }

    public static Envelope readEnvelope(FileChannel ch, boolean withIds) throws IOException, CorruptQueueFileException {
        long body = bodyLength(ch);
        long envLength = ch.size() - FOOTER_LENGTH - body;
        InputStream in = new BufferedInputStream(
            BoundedInputStream.builder().setInputStream(Channels.newInputStream(ch.position(body)))
                .setMaxCount(envLength).setPropagateClose(false).get(), 8192);
        EnvelopeReader r = new EnvelopeReader(in);
        try {
            long uid = -1;
            long pid = -1;
            if (withIds) {
                uid = number(r.read(), 'u');
                pid = number(r.read(), 'p');
            }
            Address sender = r.next().address();
            List<Address> rcpts = new ArrayList<>();
            for (EnvelopeReader.Entry e = r.next(); !e.isEnd(); e = r.next()) {
                rcpts.add(e.address());
            }
            if (r.bytesRead() != envLength) {
                throw new CorruptQueueFileException("bytes after the envelope's end");
            }
            return new Envelope(body, uid, pid, sender, List.copyOf(rcpts));
        } catch (EnvelopeException e) {
            throw new CorruptQueueFileException("bad envelope: " + e.getMessage());
        }
    }

    private static long number(EnvelopeReader.Entry e, char kind) throws CorruptQueueFileException {
        if (e.kind() != kind) {
            throw new CorruptQueueFileException("expected a '" + kind + "' record");
        }
        return Long.parseLong(e.value());
    }

}
