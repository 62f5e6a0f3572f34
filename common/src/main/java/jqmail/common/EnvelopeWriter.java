package jqmail.common;

import java.io.ByteArrayOutputStream;

/** Builds envelope records in qmail's format; {@link #toByteArray()} gives the bytes. */
public final class EnvelopeWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    public EnvelopeWriter uid(long uid) {
        return record('u', Long.toString(uid).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    public EnvelopeWriter pid(long pid) {
        return record('p', Long.toString(pid).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    public EnvelopeWriter sender(Address a) {
        return record('F', a.bytes());
    }

    public EnvelopeWriter recipient(Address a) {
        return record('T', a.bytes());
    }

    /** A {@code T} record for each, in order. */
    public EnvelopeWriter recipients(Iterable<Address> all) {
        for (Address a : all) {
            recipient(a);
        }
        return this;
    }

    /** Any record; the value must already be valid for its kind. */
    public EnvelopeWriter record(char kind, byte[] value) {
        out.write(kind);
        out.writeBytes(value);
        out.write(0);
        return this;
    }

    /** The empty record that ends an envelope. */
    public EnvelopeWriter end() {
        out.write(0);
        return this;
    }

    public int size() {
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    public void reset() {
        out.reset();
    }
}
