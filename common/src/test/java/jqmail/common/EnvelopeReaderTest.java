package jqmail.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvelopeReaderTest {
    private static List<String> read(String env) throws Exception {
        EnvelopeReader r = new EnvelopeReader(new ByteArrayInputStream(env.getBytes(StandardCharsets.ISO_8859_1)));
        List<String> out = new ArrayList<>();
        for (EnvelopeReader.Entry e = r.next(); !e.isEnd(); e = r.next()) {
            out.add(e.kind() + e.value());
        }
        return out;
    }

    private static QueueExit failure(String env) {
        return assertThrows(EnvelopeException.class, () -> read(env)).exit();
    }

    @Test
    void readsQmailEnvelopes() throws Exception {
        assertEquals(List.of("Fa@b", "Tc@d", "Te@f"), read("Fa@b\0Tc@d\0Te@f\0\0"));
        assertEquals(List.of("F"), read("F\0\0"));
    }

    @Test
    void ignoresWhatFollowsTheTerminator() throws Exception {
        assertEquals(List.of("Fa@b", "Tc@d"), read("Fa@b\0Tc@d\0\0garbage"));
    }

    @Test
    void truncatedEnvelopesAre54() {
        assertEquals(QueueExit.READ_ERROR, failure(""));
        assertEquals(QueueExit.READ_ERROR, failure("Fa@b\0Tc@d\0"));
        assertEquals(QueueExit.READ_ERROR, failure("Fa@b\0Tc@d"));
        assertEquals(54, failure("Fa@b\0Tc").code());
    }

    @Test
    void wrongRecordKindsAre91() {
        assertEquals(QueueExit.ENVELOPE_FORMAT, failure("Ta@b\0\0"));
        assertEquals(QueueExit.ENVELOPE_FORMAT, failure("Fa@b\0Fc@d\0\0"));
        assertEquals(QueueExit.ENVELOPE_FORMAT, failure("Fa@b\0Xc@d\0\0"));
        assertEquals(QueueExit.ENVELOPE_FORMAT, failure("\0"));
    }

    @Test
    void longAddressesAre11() throws Exception {
        String ok = "a".repeat(Address.MAX_LENGTH);
        assertEquals(List.of("F" + ok), read("F" + ok + "\0\0"));
        assertEquals(11, failure("Fa@b\0T" + ok + "x\0\0").code());
        assertEquals(11, failure("F" + "a".repeat(5000) + "\0\0").code());
    }

    @Test
    void crOrLfInAnAddressIsPermanent() {
        QueueExit e = failure("Fa@b\0Tc@d\r\nDATA\0\0");
        assertEquals(12, e.code());
        assertTrue(e.isPermanent());
        assertTrue(failure("Fa\n@b\0\0").isPermanent());
    }

    @Test
    void countsBytes() throws Exception {
        EnvelopeReader r = new EnvelopeReader(new ByteArrayInputStream("Fa\0Tb\0\0".getBytes(StandardCharsets.US_ASCII)));
        while (!r.next().isEnd()) {
            // read all
        }
        assertEquals(7, r.bytesRead());
    }

    @Test
    void writerAndReaderAgree() throws Exception {
        byte[] b = new EnvelopeWriter().sender(new Address("s@x")).recipient(new Address("r1@y"))
            .recipient(new Address("r2@z")).end().toByteArray();
        assertEquals("Fs@x\0Tr1@y\0Tr2@z\0\0", new String(b, StandardCharsets.ISO_8859_1));
        assertEquals(List.of("Fs@x", "Tr1@y", "Tr2@z"), read(new String(b, StandardCharsets.ISO_8859_1)));
    }
}
