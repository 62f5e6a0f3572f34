package jqmail.common.cdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdbTest {
    @TempDir
    Path dir;

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void roundTripsManyKeys() throws Exception {
        CdbWriter w = new CdbWriter();
        for (int i = 0; i < 5000; i++) {
            w.add(b("key" + i), b("value" + i));
        }
        w.add(b(""), b("empty key"));
        Path f = dir.resolve("t.cdb");
        w.install(f, dir.resolve("t.tmp"));
        Cdb c = Cdb.open(f);
        for (int i = 0; i < 5000; i++) {
            assertArrayEquals(b("value" + i), c.get(b("key" + i)));
        }
        assertArrayEquals(b("empty key"), c.get(b("")));
        assertNull(c.get(b("missing")));
    }

    @Test
    void anEmptyDatabaseFindsNothing() throws Exception {
        assertNull(Cdb.of(new CdbWriter().toByteArray()).get(b("x")));
    }

    @Test
    void aDamagedFileFailsCleanly() throws Exception {
        CdbWriter w = new CdbWriter();
        w.add(b("k"), b("v"));
        byte[] bytes = w.toByteArray();
        byte[] cut = java.util.Arrays.copyOf(bytes, 2050);
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> Cdb.of(cut).get(b("k")));
    }
}
