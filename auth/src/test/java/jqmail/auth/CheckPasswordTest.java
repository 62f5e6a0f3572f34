package jqmail.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real checkpassword program (a shell script reading descriptor 3), run as the auth service runs it. */
class CheckPasswordTest {
    @TempDir
    Path dir;

    Path program(String body) throws Exception {
        Path p = dir.resolve("checkpassword");
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    @Test
    void theFd3ProtocolDecidesAndTheSubprogramRunsOnSuccess() throws Exception {
        Path seen = dir.resolve("seen");
        Path p = program("""
            IFS= read -r -d '' user <&3; IFS= read -r -d '' pass <&3; IFS= read -r -d '' stamp <&3
            printf '%s|%s|%s' "$user" "$pass" "$1" > SEEN
            [ "$user" = sys ] && [ "$pass" = 'pa ss' ] || exit 1
            exec "$@"
            """.replace("SEEN", seen.toString()));
        CheckPassword c = new CheckPassword("/bin/bash " + p);
        assertEquals(0, c.run("sys", "pa ss"));
        assertEquals("sys|pa ss|/bin/true", Files.readString(seen), "fields from fd 3; /bin/true as the subprogram");
        assertEquals(1, c.run("sys", "wrong"));
    }

    @Test
    void anyOtherStatusIsTrouble() throws Exception {
        assertEquals(-1, new CheckPassword("/bin/sh " + program("exit 111")).run("a", "b"));
        assertEquals(-1, new CheckPassword(dir.resolve("missing").toString()).run("a", "b"));
    }
}
