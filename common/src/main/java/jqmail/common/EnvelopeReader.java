package jqmail.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads qmail's envelope records one at a time: {@code F<sender>\0}, then
 * {@code T<recipient>\0} for each recipient, then an empty record {@code \0}.
 * Queue files also carry {@code u<uid>\0} and {@code p<pid>\0} before the
 * sender. Memory stays at one record however many recipients follow.
 *
 * <p>Errors carry qmail-queue's codes: end of input before the empty record
 * is 54, a record of an unexpected kind is 91, an address over 1002 bytes
 * is 11, an address holding CR or LF is 12.
 */
public final class EnvelopeReader {
    /** One record: its kind letter and its value; {@link #END} marks the empty record. */
    public record Entry(char kind, String value) {
        public static final char END_KIND = 0;

        public boolean isEnd() {
            return kind == END_KIND;
        }

        public Address address() {
            return new Address(value);
        }
    }

    public static final Entry END = new Entry(Entry.END_KIND, "");
    /** Longest non-address record (u, p): digits only. */
    private static final int MAX_NUMBER_RECORD = 20;

    private final InputStream in;
    private final byte[] record = new byte[Address.MAX_LENGTH + 2];
    private long bytesRead;
    private char expected = 'F';

    /** @param in buffered by the caller where reads are small */
    public EnvelopeReader(InputStream in) {
        this.in = in;
    }

    /** Bytes consumed so far, including every record's NUL. */
    public long bytesRead() {
        return bytesRead;
    }

    /**
     * The next record of a caller's envelope: the sender first, then
     * recipients, then {@link #END}. After END it must not be called again.
     */
    public Entry next() throws IOException, EnvelopeException {
        Entry e = read();
        if (e.isEnd()) {
            if (expected == 'F') {
                throw new EnvelopeException(QueueExit.ENVELOPE_FORMAT, "envelope has no sender record");
            }
            return e;
        }
        if (e.kind() != expected) {
            throw new EnvelopeException(QueueExit.ENVELOPE_FORMAT,
                "envelope record starts with byte " + (int) e.kind() + ", expected '" + expected + "'");
        }
        expected = 'T';
        return e;
    }

    /**
     * The next record of any kind, for queue files whose own records
     * ({@code u}, {@code p}) precede the sender; the caller checks the order.
     */
    public Entry read() throws IOException, EnvelopeException {
        int n = 0;
        for (;;) {
            int b = in.read();
            if (b < 0) {
                throw new EnvelopeException(QueueExit.READ_ERROR,
                    n == 0 ? "envelope ends without its final NUL" : "envelope ends inside a record");
            }
            bytesRead++;
            if (b == 0) {
                break;
            }
            if (n == record.length) {
                throw tooLong(record[0]);
            }
            record[n++] = (byte) b;
        }
        if (n == 0) {
            return END;
        }
        char kind = (char) (record[0] & 0xff);
        int length = n - 1;
        switch (kind) {
            case 'F', 'T' -> {
                if (length > Address.MAX_LENGTH) {
                    throw tooLong(record[0]);
                }
                for (int i = 1; i < n; i++) {
                    if (record[i] == '\r' || record[i] == '\n') {
                        throw new EnvelopeException(QueueExit.ADDRESS_FORBIDDEN_BYTE,
                            "envelope address contains CR or LF");
                    }
                }
            }
            case 'u', 'p' -> {
                if (length == 0 || length > MAX_NUMBER_RECORD) {
                    throw new EnvelopeException(QueueExit.ENVELOPE_FORMAT, "bad '" + kind + "' record");
                }
                for (int i = 1; i < n; i++) {
                    if (record[i] < '0' || record[i] > '9') {
                        throw new EnvelopeException(QueueExit.ENVELOPE_FORMAT, "bad '" + kind + "' record");
                    }
                }
            }
            default -> {
                // Unknown kinds are the caller's to judge (next() refuses them).
            }
        }
        return new Entry(kind, new String(record, 1, length, StandardCharsets.ISO_8859_1));
    }

    private static EnvelopeException tooLong(byte kind) {
        if (kind == 'F' || kind == 'T') {
            return new EnvelopeException(QueueExit.ADDRESS_TOO_LONG,
                "envelope address longer than " + Address.MAX_LENGTH + " bytes");
        }
        return new EnvelopeException(QueueExit.ENVELOPE_FORMAT, "envelope record too long");
    }
}
