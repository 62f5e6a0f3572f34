package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * showctl's table against the code: every control file the main sources
 * read is in the table, every row is read somewhere, and where the code
 * writes its default as a constant, the table says the same.
 */
class ControlTableTest {
    /**
     * A read of a control file: Control's {@code line}, {@code number},
     * {@code list}, {@code exists} (or a helper taking the home first, as in
     * Daemons) with a literal name, and its default argument if any.
     */
    static final Pattern READ = Pattern.compile(
        "\\b(?:line|number|list|exists|control)\\((?:\\s*\\w+\\s*,)?\\s*\"([a-z][a-z0-9.]*)\"(?:\\s*,\\s*([^)]*))?\\)");
    /** A control file opened by name: {@code home.control().resolve("tcp.smtp")}. */
    static final Pattern RESOLVE = Pattern.compile("\\.control\\(\\)\\s*\\.resolve\\(\\s*\"([^\"]+)\"\\s*\\)");

    record Read(Path file, String name, String fallback) {
    }

    static List<Read> readsInCode() throws IOException {
        List<Read> out = new ArrayList<>();
        for (String module : new String[] {"common", "queue", "smtpd", "auth", "send", "local", "remote", "scripts"}) {
            Path src = ArchitectureTest.ROOT.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(src)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(src)) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    if (f.getFileName().toString().equals("ControlTable.java")) {
                        continue;
                    }
                    String code = Files.readString(f);
                    Matcher m = READ.matcher(code);
                    while (m.find()) {
                        out.add(new Read(f, m.group(1), literal(m.group(2), code)));
                    }
                    m = RESOLVE.matcher(code);
                    while (m.find()) {
                        out.add(new Read(f, m.group(1), null));
                    }
                }
            }
        }
        return out;
    }

    /** The default as a constant: a string or number literal, or a static final constant of the same file. */
    static String literal(String arg, String code) {
        if (arg == null) {
            return null;
        }
        String a = arg.strip();
        if (a.matches("\"[^\"]*\"")) {
            return a.substring(1, a.length() - 1);
        }
        if (a.matches("[0-9_]+L?")) {
            return a.replace("_", "").replace("L", "");
        }
        Matcher c = Pattern.compile("static final long " + Pattern.quote(a) + " = ([0-9_]+)L?;").matcher(code);
        if (a.matches("[A-Z_]+") && c.find()) {
            return c.group(1).replace("_", "");
        }
        return null;
    }

    @Test
    void everyControlFileTheCodeReadsIsInTheTable() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Read r : readsInCode()) {
            if (ControlTable.row(r.name()).isEmpty()) {
                missing.add(r.name() + " (" + ArchitectureTest.ROOT.relativize(r.file()) + ")");
            }
        }
        assertEquals(List.of(), missing, "control files read by the code but not shown by jqmail showctl");
    }

    @Test
    void everyRowOfTheTableIsReadByTheCode() throws IOException {
        Set<String> read = new TreeSet<>();
        readsInCode().forEach(r -> read.add(r.name()));
        List<String> stale = new ArrayList<>();
        for (ControlTable.Row row : ControlTable.ROWS) {
            if (!read.contains(row.name())) {
                stale.add(row.name());
            }
        }
        assertEquals(List.of(), stale, "rows for control files no code reads");
    }

    @Test
    void constantDefaultsAreTheCodes() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Read r : readsInCode()) {
            ControlTable.Row row = ControlTable.row(r.name()).orElse(null);
            if (row != null && r.fallback() != null && !r.fallback().equals(row.literal())) {
                wrong.add(r.name() + ": code says " + r.fallback() + ", table says " + row.literal());
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** The test above sees the defaults it should: a few known ones, so a broken pattern cannot pass quietly. */
    @Test
    void thePatternsFindKnownReadsAndDefaults() throws IOException {
        List<Read> reads = readsInCode();
        assertTrue(reads.contains(new Read(ArchitectureTest.ROOT.resolve("send/src/main/java/jqmail/send/Settings.java"),
            "concurrencylocal", "10")), reads.toString());
        assertTrue(reads.stream().anyMatch(r -> r.name().equals("queueminfree") && "50000000".equals(r.fallback())));
        assertTrue(reads.stream().anyMatch(r -> r.name().equals("concurrencyincoming") && "40".equals(r.fallback())));
        assertTrue(reads.stream().anyMatch(r -> r.name().equals("tcp.smtp.cdb")));
        assertTrue(reads.stream().anyMatch(r -> r.name().equals("rcpthosts")));
    }

    @Test
    void namesAreUniqueAndEveryRowHasAMeaning() {
        Set<String> names = new TreeSet<>();
        for (ControlTable.Row row : ControlTable.ROWS) {
            assertTrue(names.add(row.name()), "twice: " + row.name());
            assertTrue(row.meaning() != null && row.fallback() != null, row.name());
        }
    }
}
