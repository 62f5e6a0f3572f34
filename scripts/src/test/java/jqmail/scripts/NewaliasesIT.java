package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jqmail.local.aliases.AliasIndex;
import jqmail.local.aliases.Target;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.io.TempDir;

/**
 * newaliases as Debian's package scripts and administrators run it: the
 * dist's {@code newaliases}, {@code sendmail -bi} and {@code jqmail
 * newaliases}, always on a test file (never the machine's /etc/aliases).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NewaliasesIT {
    @TempDir
    static Path dir;
    TestHome home;
    Path aliases;

    @BeforeAll
    void setUp() throws Exception {
        home = new TestHome(dir.resolve("home"));
        aliases = dir.resolve("aliases");
    }

    @AfterAll
    void tearDown() throws Exception {
        home.close();
    }

    private List<String> lookup(String name) throws Exception {
        List<Target> t = AliasIndex.open(AliasIndex.path(home.home)).lookup(name);
        return t == null ? null : t.stream().map(Target::text).toList();
    }

    @Test
    @Order(1)
    void aGoodFileIsCompiledAndSummarisedAsSendmailDoes() throws Exception {
        Files.writeString(aliases, "# test\npostmaster: root\nroot: ann,\n  \"|/usr/bin/logger -t mail\"\n");
        Dist.Result r = Dist.run(null, "newaliases", "--home", home.dir.toString(), "--file", aliases.toString());
        assertEquals(0, r.code(), r.stderr());
        assertEquals(aliases + ": 2 aliases, longest 29 bytes, 34 bytes total", r.stdout().strip());
        assertEquals(List.of("ann", "|/usr/bin/logger -t mail"), lookup("ROOT"));
        assertFalse(AliasIndex.stale(AliasIndex.path(home.home), aliases));
    }

    @Test
    @Order(2)
    void sendmailBiCompilesThroughJqmail() throws Exception {
        Files.writeString(aliases, "postmaster: root\nroot: bob\nstaff: ann, bob\n");
        Dist.Result r = Dist.run(home.dir, null, Map.of(), "sendmail", "-bi", "-oA" + aliases);
        assertEquals(0, r.code(), r.stderr());
        assertTrue(r.stdout().startsWith(aliases + ": 3 aliases,"), r.stdout());
        assertEquals(List.of("bob"), lookup("root"));
    }

    @Test
    @Order(3)
    void aMalformedFileExits65WithItsLineAndKeepsTheOldIndex() throws Exception {
        Files.writeString(aliases, "root: carol\n\nstaff ann, bob\n");
        Dist.Result r = home.jqmail("newaliases", "--file", aliases.toString());
        assertEquals(65, r.code(), r.stderr());
        assertEquals(List.of("newaliases: " + aliases + ":3: no colon after the alias name"), r.errLines());
        assertEquals("", r.stdout());
        assertEquals(List.of("bob"), lookup("root"));
        assertEquals(List.of("ann", "bob"), lookup("staff"));
        assertTrue(AliasIndex.stale(AliasIndex.path(home.home), aliases));
    }

    @Test
    @Order(4)
    void aMissingFileIsAnIoError() throws Exception {
        Dist.Result r = Dist.run(null, "newaliases", "--home", home.dir.toString(), "--file",
            dir.resolve("none").toString());
        assertEquals(74, r.code(), r.stderr());
        assertEquals(List.of("newaliases: " + dir.resolve("none") + ": no such file"), r.errLines());
        assertNull(lookup("none"));
    }
}
