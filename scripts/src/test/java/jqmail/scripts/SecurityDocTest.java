package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import jqmail.common.QueueId;
import org.junit.jupiter.api.Test;

/** docs/SECURITY.md's table of owners and modes says what jqmail setup does. */
class SecurityDocTest {
    @Test
    void theDocumentedTableIsTheLayout() throws IOException {
        String doc = Files.readString(ArchitectureTest.ROOT.resolve("docs/SECURITY.md"));
        String table = doc.substring(doc.indexOf("<!-- layout-table -->"), doc.indexOf("<!-- /layout-table -->"));
        List<String> documented = new ArrayList<>();
        for (String line : table.split("\n")) {
            if (line.startsWith("| `")) {
                String[] f = line.split("\\|");
                documented.add(String.join("|", f[1].strip().replace("`", ""), f[2].strip(), f[3].strip(),
                    f[4].strip(), f[5].strip()));
            }
        }
        Set<String> fromCode = new LinkedHashSet<>();
        List<Layout.Entry> entries = new ArrayList<>(Layout.entries());
        for (String d : Daemons.logNames()) {
            entries.add(new Layout.Entry("log/" + d, Layout.Kind.DIR, 0750, jqmail.common.Identities.Role.LOG,
                false, ""));
        }
        for (Layout.Entry e : entries) {
            String path = e.path();
            String last = path.substring(path.lastIndexOf('/') + 1);
            if (last.matches("\\d+") && Integer.parseInt(last) < QueueId.SPLIT) {
                path = path.substring(0, path.lastIndexOf('/')) + "/0.." + (QueueId.SPLIT - 1);
            }
            String owner = e.owner() == null ? "root" : e.owner().defaultName();
            String group = e.owner() == null ? "root" : e.queueGroup() ? "jqmail" : "own";
            fromCode.add(String.join("|", path, e.kind().name().toLowerCase(java.util.Locale.ROOT), owner, group,
                String.format("%04o", e.mode())));
        }
        assertEquals(new ArrayList<>(fromCode), documented);
    }
}
