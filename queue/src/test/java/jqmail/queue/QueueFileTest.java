package jqmail.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jqmail.common.Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueFileTest {
    @TempDir
    Path dir;

    /** The format, byte for byte: a golden file other tools may rely on. */
    static final String GOLDEN = "Received: (qmail 42 invoked by uid 1000); 1 Jan 2026 00:00:00 -0000\n"
        + "Subject: hi\n\nhello\n"
        + "u1000\0p42\0Fa@b.c\0Tx@y.z\0\0"
        + "\nJQ1 0000000000000057\n";

    Path file(String content) throws Exception {
        Path p = dir.resolve("f");
        Files.write(p, content.getBytes(StandardCharsets.ISO_8859_1));
        return p;
    }

    @Test
    void readsTheGoldenFile() throws Exception {
        QueueFile.Envelope e = QueueFile.readEnvelope(file(GOLDEN), true);
        assertEquals(0x57, e.bodyLength());
        assertEquals(GOLDEN.indexOf("u1000"), e.bodyLength());
        assertEquals(1000, e.uid());
        assertEquals(new Address("a@b.c"), e.sender());
        assertEquals(List.of(new Address("x@y.z")), e.recipients());
    }

    @Test
    void footerEncodesTheBodyLength() {
        assertEquals("\nJQ1 0000000000000057\n", new String(QueueFile.footer(0x57), StandardCharsets.US_ASCII));
        assertEquals(QueueFile.FOOTER_LENGTH, QueueFile.footer(Long.MAX_VALUE).length);
    }

    @Test
    void refusesDamagedFiles() throws Exception {
        String[] bad = {
            "",
            GOLDEN.substring(0, GOLDEN.length() - 1),
            GOLDEN.replace("JQ1", "JQ2"),
            GOLDEN.replace("0000000000000057", "00000000000000ff"),
            GOLDEN.replace("0000000000000057", "000000000000005A"),
            GOLDEN.replace("0000000000000057", "0000000000000056"),
            GOLDEN.replace("Tx@y.z\0\0", "Tx@y.z\0\0\0"),
            GOLDEN.replace("Tx@y.z\0\0", "Tx@y.z\0"),
            GOLDEN.replace("u1000", "ux000"),
            GOLDEN.replace("Tx@y.z", "Tx@y\r.z"),
        };
        for (String s : bad) {
            assertThrows(CorruptQueueFileException.class, () -> QueueFile.readEnvelope(file(s), true),
                s.replace("\0", "\\0"));
        }
    }

    @Test
    void maildropFilesHaveNoIdRecords() throws Exception {
        String m = "hello\nFs@x\0Tr@y\0\0\nJQ1 0000000000000006\n";
        QueueFile.Envelope e = QueueFile.readEnvelope(file(m), false);
        assertEquals(6, e.bodyLength());
        assertEquals(-1, e.uid());
        assertThrows(CorruptQueueFileException.class, () -> QueueFile.readEnvelope(file(m), true));
    }
}
