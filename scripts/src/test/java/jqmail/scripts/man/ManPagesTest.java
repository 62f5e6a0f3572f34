package jqmail.scripts.man;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The man pages scripts/package installs, made from this source tree: every
 * program of the launcher's table has one, each has the sections a reader
 * looks for, groff renders each without a warning, and what the pages say
 * is what the package-info.java files and picocli say.
 */
class ManPagesTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path out;

    /** The launcher's program table, as scripts/package reads it. */
    static List<String> programs() throws Exception {
        Process p = new ProcessBuilder("bash", ROOT.resolve("scripts/src/dist/launch").toString(), "--list").start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        return List.of(s.strip().split("\n"));
    }

    private List<String> generate() throws Exception {
        return new ManPages(ROOT, "0.1.0~test", "2026-01-01").write(out, programs());
    }

    private Path page(String program) {
        int s = ManPages.section(program);
        return out.resolve("man" + s).resolve(program + "." + s);
    }

    @Test
    void everyProgramHasAPageWithNameAndSynopsis() throws Exception {
        assertEquals(List.of(), generate(), "programs without a page");
        for (String prog : programs()) {
            String roff = Files.readString(page(prog));
            if (roff.startsWith(".so ")) {
                roff = Files.readString(out.resolve(roff.substring(4).strip()));
            }
            assertTrue(roff.contains("\n.SH \"NAME\"\n"), prog);
            assertTrue(roff.contains("\n.SH \"SYNOPSIS\"\n"), prog);
            assertTrue(roff.contains("\n.SH \"DESCRIPTION\"\n"), prog);
            assertTrue(roff.contains(prog.replace("-", "\\-")), prog + " is named on its page");
        }
        assertEquals(".so man1/sendmail.1\n", Files.readString(page("mailq")));
        assertEquals(".so man8/tcpserver.8\n", Files.readString(page("tcprules")), "NAME's second clause");
        assertFalse(Files.exists(out.resolve("man8/aliases.8")), "a library's page is no program's");
    }

    @Test
    void groffRendersEveryPageWithoutAWarning() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/groff")), "no groff (scripts/deps test installs groff-base)");
        generate();
        for (String prog : programs()) {
            Path p = page(prog);
            if (Files.readString(p).startsWith(".so ")) {
                continue;
            }
            Result r = groff(p);
            assertEquals("", r.err, prog + ": groff's warnings");
            assertEquals(0, r.code, prog);
            assertTrue(r.out.contains("NAME"), prog);
        }
        String sendmail = groff(page("sendmail")).out;
        assertTrue(sendmail.contains("sendmail, mailq, newaliases - the sendmail interface"), sendmail);
        assertTrue(sendmail.contains("sendmail [-t] [-i] [-f sender]"), "SYNOPSIS as written: " + sendmail);
        String queue = groff(page("qmail-queue")).out;
        assertTrue(queue.contains("F<sender>\\0"), "{@code} keeps what HTML would take for a tag: " + queue);
    }

    @Test
    void theFrontDoorsPageListsEveryCommandAndOptionPicocliKnows() throws Exception {
        generate();
        String roff = Files.readString(page("jqmail"));
        for (String cmd : List.of("setup", "start", "stop", "status", "queue hold", "queue fsck", "user add",
            "newaliases", "service")) {
            assertTrue(roff.contains("\n.TP\n\\fBjqmail " + cmd + "\\fR"), "jqmail " + cmd);
        }
        assertFalse(roff.contains(".TP\n\\fBjqmail supervise"), "hidden commands stay hidden");
        assertTrue(roff.contains("[\\fB\\-\\-system\\fR]"), "setup --system in its synopsis");
        assertTrue(roff.contains("\\fB\\-\\-java\\fR \\fIPATH\\fR"), "service --java");
        int description = roff.indexOf(".SH \"DESCRIPTION\"");
        int commands = roff.indexOf(".SH \"COMMANDS\"");
        int exit = roff.indexOf(".SH \"EXIT STATUS\"");
        assertTrue(description < commands && commands < exit, "COMMANDS after DESCRIPTION");
    }

    @Test
    void htmlBecomesRoffAndNothingIsTakenForARequest() {
        Roff r = new Roff();
        HtmlRoff.render("<p>First {@code .qmail} file.\n<p>{@code 'quoted} a\\b &lt;x&gt; &#92; caf\u00e9 -x\n"
            + "<ul>\n<li>one</li>\n<li>two {@link a.b.Cls}</li>\n</ul>\nafter\n<pre>\n.dot\n  indented\n</pre>\n", r);
        assertEquals("""
            First \\fB.qmail\\fR file.
            .PP
            \\fB'quoted\\fR a\\eb <x> \\e caf\\[u00E9] \\-x
            .IP \\(bu 4
            one
            .IP \\(bu 4
            two Cls
            .PP
            after
            .PP
            .RS 4
            .nf
            \\&.dot
              indented
            .fi
            .RE
            """, r.toString());
        assertEquals("\\&.x\n", new Roff().text(".x").toString());
        assertThrows(IllegalArgumentException.class, () -> HtmlRoff.render("<table>", new Roff()), "unknown tag");
    }

    @Test
    void headingsAndNamesComeFromTheComment() {
        JavadocPage p = JavadocPage.parse("""
            /**
             * NAME
             * <p>a, b - do it; c - and the rest
             *
             * <p>SYNOPSIS
             * <pre>
             * <p>NOT A HEADING
             * </pre>
             *
             * <p>EXIT STATUS (sysexits)
             * <p>0.
             */
            package x;
            """);
        assertEquals(List.of("NAME", "SYNOPSIS", "EXIT STATUS (sysexits)"),
            p.sections().stream().map(JavadocPage.Section::heading).toList());
        assertEquals(List.of("a", "b", "c"), p.names());
        assertEquals(null, JavadocPage.parse("/** Library code. */\npackage y;\n"));
    }

    private record Result(int code, String out, String err) {
    }

    private static Result groff(Path page) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("groff", "-man", "-Tutf8", "-ww", "-P-c", "-P-b", "-P-u"));
        cmd.add(page.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(Map.of("LC_ALL", "C.UTF-8"));
        Path err = Files.createTempFile("groff", ".err");
        try {
            Process p = pb.redirectError(err.toFile()).start();
            String o = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            return new Result(p.exitValue(), o, Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
