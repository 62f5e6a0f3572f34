package jqmail.remote.rspawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import jqmail.common.Control;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelayCredentialsTest {
    @TempDir
    Path dir;

    @Test
    void theRelayAsSmtproutesNamesItThenUserThenTheRestOfTheLine() throws IOException {
        RelayCredentials c = RelayCredentials.parse(List.of("Smarthost.Example.net:alice:pass:with:colons",
            "[192.0.2.1]:bob:b0b", "[IPv6:2001:db8::1]:carol:c"));
        assertEquals(new RelayCredentials.Login("alice", "pass:with:colons"), c.forRelay("smarthost.example.NET"));
        assertEquals(new RelayCredentials.Login("bob", "b0b"), c.forRelay("[192.0.2.1]"));
        assertEquals("carol", c.forRelay("[ipv6:2001:db8::1]").user());
        assertNull(c.forRelay("other.example.net"));
    }

    @Test
    void passwordsAreUtf8() throws IOException {
        Path f = dir.resolve("relayauth");
        Files.write(f, "relay.example:jörg:pässwörd\n".getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        RelayCredentials.Login l = RelayCredentials.read(new Control(dir)).forRelay("relay.example");
        assertEquals("jörg", l.user());
        assertEquals("pässwörd", l.password());
        assertFalse(l.toString().contains("pässwörd"));
    }

    @Test
    void aFileOthersMayReadIsRefused() throws IOException {
        Path f = dir.resolve("relayauth");
        Files.writeString(f, "relay.example:u:secret\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        IOException e = assertThrows(IOException.class, () -> RelayCredentials.read(new Control(dir)));
        assertEquals("control/relayauth holds passwords but others may read it: chmod 600 it", e.getMessage());
        assertSame(RelayCredentials.NONE, RelayCredentials.read(new Control(dir.resolve("none"))), "no file, no logins");
    }

    @Test
    void aBadLineIsNamedWithoutItsPassword() {
        for (String line : new String[] {"relay.example:useronly", "relay.example::secret", "relay.example:user:",
            "[192.0.2.1:user:secret", "nocolons"}) {
            IOException e = assertThrows(IOException.class, () -> RelayCredentials.parse(List.of(line)), line);
            assertTrue(e.getMessage().startsWith("control/relayauth: not relay:user:password"), e.getMessage());
            assertFalse(e.getMessage().contains("secret"), e.getMessage());
        }
    }
}
