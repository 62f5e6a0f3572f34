package jqmail.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import jnr.posix.POSIXFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real crypt(3) hashes, as Debian's passwd writes them (yescrypt) and as older systems did (SHA-512). */
class SystemPasswordsTest {
    // crypt("hunter2", ...) made with libcrypt (perl -e 'print crypt(...)' and openssl passwd -6).
    static final String YESCRYPT = "$y$j9T$F5Jx5fExrKuPp53xLKQ..1$PmNgGTLMFjJn.URBv11CpTEm5RwlKtPjRtztKe6.b33";
    static final String SHA512 = "$6$abcdefgh$M/eYsB4rVXAm3ZNc88J.UD9rCKAT6FB1rahiwJCHtEndQNORCub5qhjxn50qbqVVthkM"
        + ".9HpEwtf0t.iV9uH0/";

    @TempDir
    Path dir;

    SystemPasswords files() throws Exception {
        Path passwd = Files.writeString(dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n"
            + "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
            + "ann:x:1000:1000:Ann:/home/ann:/bin/bash\nbob:x:1001:1001:Bob:/home/bob:/bin/bash\n"
            + "locked:x:1002:1002::/home/locked:/bin/bash\n");
        Path shadow = Files.writeString(dir.resolve("shadow"), "root:" + YESCRYPT + ":19000:0:99999:7:::\n"
            + "daemon:*:19000:0:99999:7:::\nann:" + YESCRYPT + ":19000:0:99999:7:::\nbob:" + SHA512 + ":19000::::::\n"
            + "locked:!" + YESCRYPT + ":19000::::::\n");
        return new SystemPasswords(passwd, shadow, POSIXFactory.getNativePOSIX());
    }

    @Test
    void usersLogInWithTheirShadowPassword() throws Exception {
        SystemPasswords s = files();
        assertTrue(s.has("ann") && s.matches("ann", "hunter2"), "yescrypt");
        assertTrue(s.has("bob") && s.matches("bob", "hunter2"), "SHA-512 crypt");
        assertFalse(s.matches("ann", "hunter3"));
        assertFalse(s.matches("ann", ""));
    }

    @Test
    void rootSystemAccountsAndLockedOnesNeverDo() throws Exception {
        SystemPasswords s = files();
        assertFalse(s.has("root"), "uid 0 is no mail login, whatever its password");
        assertFalse(s.has("daemon"));
        assertTrue(s.has("locked"));
        assertFalse(s.matches("locked", "hunter2"), "a ! in shadow locks the account");
        assertFalse(s.has("nobody-here"));
        assertFalse(s.has("ann:x"), "no field tricks");
    }
}
