package jqmail.remote.rspawn;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jqmail.common.Home;
import jqmail.common.Outcome;
import jqmail.remote.smtp.MessageBody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** qmail-remote's reports, its usage errors, and stdin read again for each attempt. */
@Timeout(60)
class QmailRemoteTest {
    private static final byte[] MESSAGE = "Subject: hi\n\nbody\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Home home, Path stdin, String... args) throws IOException {
        try (FileInputStream in = new FileInputStream(stdin.toFile())) {
            return QmailRemote.run(args, home, in, dir, out, new PrintStream(err, true, StandardCharsets.UTF_8));
        }
    }

    private String stdout() {
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void everyRecipientGetsItsLetterThenTheMessageReportSaysWhetherAnyWasDelivered() {
        Outcome ok = new Outcome.Delivered("192.0.2.1 accepted message.\nRemote host said: 250 ok");
        Outcome no = new Outcome.PermFailure("192.0.2.1 does not like recipient.\nRemote host said: 550 no");
        Outcome later = new Outcome.TempFailure("192.0.2.1 does not like recipient.\nRemote host said: 450 later");
        assertEquals("r\0r\0K" + ok.text() + "\0", report(List.of(ok, ok)));
        assertEquals("h" + no.text() + "\0r\0K" + ok.text() + "\0", report(List.of(no, ok)));
        assertEquals("h" + no.text() + "\0D" + no.text() + "\0", report(List.of(no)));
        assertEquals("h" + no.text() + "\0s" + later.text() + "\0Z" + later.text() + "\0", report(List.of(no, later)));
    }

    private static String report(List<Outcome> outcomes) {
        return new String(QmailRemote.reports(outcomes), StandardCharsets.ISO_8859_1);
    }

    @Test
    void tooFewArgumentsIsAUsageErrorOfOneLine() throws IOException {
        Path m = Files.write(dir.resolve("m"), MESSAGE);
        assertEquals(100, run(new Home(dir), m, "example.org", "a@example.org"));
        assertEquals("qmail-remote: usage: qmail-remote host sender recip [recip ...]\n", err.toString());
        assertEquals("", stdout());
    }

    @Test
    void aRecipientWithALineBreakIsRefusedBeforeAnythingIsSent() throws IOException {
        Path m = Files.write(dir.resolve("m"), MESSAGE);
        assertEquals(100, run(new Home(dir), m, "example.org", "s@client.example", "b@example.org\r\nRSET"));
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertEquals("", stdout());
    }

    @Test
    void aMissingHomeIsATemporaryFailureAndExitsZero() throws IOException {
        Path m = Files.write(dir.resolve("m"), MESSAGE);
        assertEquals(0, run(new Home(dir.resolve("nowhere")), m, "example.org", "s@client.example", "a@example.org"));
        assertEquals("ZUnable to switch to home directory " + dir.resolve("nowhere") + ". (#4.3.0)\0", stdout());
    }

    @Test
    void aPeerThatIsDownDefersEveryRecipient() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path control = Files.createDirectories(dir.resolve("home/control"));
        Files.writeString(control.resolve("me"), "client.example\n");
        Files.writeString(control.resolve("smtproutes"), "example.org:[127.0.0.1]:" + port + "\n");
        Path m = Files.write(dir.resolve("m"), MESSAGE);
        assertEquals(0, run(new Home(dir.resolve("home")), m, "Example.ORG", "s@client.example", "a@example.org",
            "b@example.org"));
        String why = "Sorry, I wasn't able to establish an SMTP connection to 127.0.0.1: Connection refused. (#4.4.1)";
        assertEquals("s" + why + "\0s" + why + "\0Z" + why + "\0", stdout());
    }

    @Test
    void aFileIsReadFromItsFirstByteForEveryAttempt() throws IOException {
        Path m = Files.write(dir.resolve("m"), MESSAGE);
        try (FileInputStream in = new FileInputStream(m.toFile())) {
            in.skipNBytes(5);
            MessageBody body = QmailRemote.body(in, dir);
            assertEquals(MESSAGE.length, body.size());
            assertArrayEquals(MESSAGE, read(body));
            assertArrayEquals(MESSAGE, read(body));
        }
        assertEquals(List.of(m), files());
    }

    @Test
    void aPipeIsSpooledToAFileThatIsGoneAtOnce() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Thread writer = new Thread(() -> {
            try (OutputStream o = Files.newOutputStream(fifo)) {
                o.write(MESSAGE);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        Path spool = Files.createDirectory(dir.resolve("spool"));
        try (FileInputStream in = new FileInputStream(fifo.toFile())) {
            MessageBody body = QmailRemote.body(in, spool);
            writer.join(TimeUnit.SECONDS.toMillis(10));
            assertEquals(List.of(), files(spool), "the spool file is unlinked while it is read");
            assertEquals(MESSAGE.length, body.size());
            assertArrayEquals(MESSAGE, read(body));
            assertArrayEquals(MESSAGE, read(body));
        }
    }

    private static byte[] read(MessageBody body) throws IOException {
        try (InputStream in = body.open()) {
            return in.readAllBytes();
        }
    }

    private List<Path> files() throws IOException {
        return files(dir);
    }

    private static List<Path> files(Path d) throws IOException {
        try (var s = Files.list(d)) {
            return s.toList();
        }
    }
}
