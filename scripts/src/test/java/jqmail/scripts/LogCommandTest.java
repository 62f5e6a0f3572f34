package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jqmail log: multilog directories merged by time, labels as tai64nlocal prints them. */
class LogCommandTest {
    @TempDir
    Path log;

    @BeforeEach
    void logs() throws IOException {
        write("qmail-send", "@400000006b028f4900000000.s",
            "@400000006b028f4800000000 status: qmail-send ready\n");
        write("qmail-send", "current", """
            @400000006b028f4a05f5e100 new msg 101
            @400000006b028f4a0bebc200 starting delivery 1: msg 101 to local carol@test.example
            @400000006b028f4c00000000 delivery 1: success: did 1+0+0/
            """);
        write("qmail-queued", "current", """
            @400000006b028f4900000000 status: queue daemon ready
            @400000006b028f4a00000000 msg 101: accepted from uid 1000
            Exception in thread "main" (a line without a label stays after the line it follows)
            @400000006b028f4b00000000 msg 102: accepted from uid 1000
            """);
    }

    void write(String daemon, String file, String text) throws IOException {
        Files.createDirectories(log.resolve(daemon));
        Files.writeString(log.resolve(daemon).resolve(file), text, StandardCharsets.UTF_8);
    }

    String print(List<String> names, boolean prefix, Integer last) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(b, true, StandardCharsets.UTF_8);
        LogCommand.print(log, names, prefix, last, ZoneOffset.UTC, out);
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void oneDaemonRotatedFilesFirstInLocalTime() throws IOException {
        assertEquals("""
            2026-11-22 06:44:14.000000000 status: qmail-send ready
            2026-11-22 06:44:16.100000000 new msg 101
            2026-11-22 06:44:16.200000000 starting delivery 1: msg 101 to local carol@test.example
            2026-11-22 06:44:18.000000000 delivery 1: success: did 1+0+0/
            """, print(List.of("qmail-send"), false, null));
    }

    @Test
    void allDaemonsMergedByTimeEachLineNamed() throws IOException {
        assertEquals(List.of("qmail-queued", "qmail-send"), LogCommand.logNames(log));
        assertEquals("""
            qmail-send   2026-11-22 06:44:14.000000000 status: qmail-send ready
            qmail-queued 2026-11-22 06:44:15.000000000 status: queue daemon ready
            qmail-queued 2026-11-22 06:44:16.000000000 msg 101: accepted from uid 1000
            qmail-queued Exception in thread "main" (a line without a label stays after the line it follows)
            qmail-send   2026-11-22 06:44:16.100000000 new msg 101
            qmail-send   2026-11-22 06:44:16.200000000 starting delivery 1: msg 101 to local carol@test.example
            qmail-queued 2026-11-22 06:44:17.000000000 msg 102: accepted from uid 1000
            qmail-send   2026-11-22 06:44:18.000000000 delivery 1: success: did 1+0+0/
            """, print(LogCommand.logNames(log), true, null));
    }

    @Test
    void lastLinesOnly() throws IOException {
        assertEquals("""
            qmail-queued 2026-11-22 06:44:17.000000000 msg 102: accepted from uid 1000
            qmail-send   2026-11-22 06:44:18.000000000 delivery 1: success: did 1+0+0/
            """, print(LogCommand.logNames(log), true, 2));
        assertEquals("", print(LogCommand.logNames(log), true, 0));
    }

    @Test
    void theTimeIsLocal() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        LogCommand.print(log, List.of("qmail-send"), false, 1, ZoneId.of("Europe/Berlin"),
            new PrintStream(b, true, StandardCharsets.UTF_8));
        assertEquals("2026-11-22 07:44:18.000000000 delivery 1: success: did 1+0+0/\n", b.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anOverlongLineIsCutAndTheNextOneStillRead() throws IOException {
        write("tcpserver", "current", "@400000006b028f4900000000 " + "x".repeat(100_000) + "\n"
            + "@400000006b028f4a00000000 after\nno newline at the end");
        String out = print(List.of("tcpserver"), false, null);
        String[] lines = out.split("\n");
        assertEquals(3, lines.length);
        assertEquals("2026-11-22 06:44:15.000000000 " + "x".repeat(LogFiles.MAX_LINE - 26) + " [cut at 8192 bytes]",
            lines[0]);
        assertEquals("2026-11-22 06:44:16.000000000 after", lines[1]);
        assertEquals("no newline at the end", lines[2]);
    }

    @Test
    void aMissingLogDirectoryIsEmpty() throws IOException {
        assertEquals("", print(List.of("nothing-here"), false, null));
    }
}
