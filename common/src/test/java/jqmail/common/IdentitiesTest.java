package jqmail.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentitiesTest {
    @TempDir
    Path dir;

    @Test
    void systemHomeRoundTrip() throws IOException {
        Map<Identities.Role, Identities.Account> m = new EnumMap<>(Identities.Role.class);
        int uid = 900;
        for (Identities.Role r : Identities.Role.values()) {
            m.put(r, new Identities.Account(r.defaultName(), uid++, 800));
        }
        Identities ids = new Identities(true, m);
        Home home = new Home(dir);
        Files.createDirectories(home.users());
        Files.writeString(Identities.file(home), ids.format());
        Identities back = Identities.read(home);
        assertTrue(back.isSystem());
        assertEquals(Identities.Role.SEND, back.roleOf(902));
        assertEquals("jqmaild", back.account(Identities.Role.SMTPD).name());
    }

    @Test
    void userModeTellsNoRolesApart() {
        Identities ids = Identities.userMode(new Identities.Account("me", 1000, 1000));
        assertNull(ids.roleOf(1000));
        assertTrue(ids.isOwn(1000));
    }

    @Test
    void malformedFilesAreRefused() throws IOException {
        Home home = new Home(dir);
        Files.createDirectories(home.users());
        Files.writeString(Identities.file(home), "mode system\nsmtpd:x:1\n");
        assertThrows(IOException.class, () -> Identities.read(home));
        Files.writeString(Identities.file(home), "mode sideways\n");
        assertThrows(IOException.class, () -> Identities.read(home));
        Files.delete(Identities.file(home));
        assertThrows(IOException.class, () -> Identities.read(home));
    }
}
