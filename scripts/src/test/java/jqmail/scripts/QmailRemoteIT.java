package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real qmail-remote, qmail's interface (host sender recip..., the
 * message on stdin, NUL-terminated reports on stdout), against Postfix's
 * smtp-sink on a loopback port named in control/smtproutes.
 */
class QmailRemoteIT {
    private static final byte[] MESSAGE = "Subject: by hand\n\nhello\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private static Dist.Result remote(TestHome home, byte[] message, String... args)
        throws IOException, InterruptedException {
        return Dist.run(home.dir, message, Map.of(), "qmail-remote", args);
    }

    private static void route(TestHome home, String domain, int port) throws IOException {
        home.control("smtproutes", domain + ":[127.0.0.1]:" + port);
    }

    private interface SinkTest {
        void run(TestHome home, RemoteIT.Sink sink) throws Exception;
    }

    /** A fresh home whose control/smtproutes sends {@code domain} to a fresh smtp-sink started with {@code options}. */
    private void withSink(String domain, SinkTest test, String... options) throws Exception {
        int port = SmtpHome.freePort();
        try (TestHome home = new TestHome(dir.resolve("home"));
            RemoteIT.Sink sink = new RemoteIT.Sink(dir.resolve("sink"), port, options)) {
            route(home, domain, port);
            test.run(home, sink);
        }
    }

    /** The transactions the sink stored, as it stored them (its X-*-Args lines, then the message). */
    private static List<String> stored(RemoteIT.Sink sink) throws IOException {
        try (Stream<Path> files = Files.walk(sink.dump)) {
            return files.filter(Files::isRegularFile).map(f -> {
                try {
                    return Files.readString(f, StandardCharsets.ISO_8859_1);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void twoRecipientsAreDeliveredInOneTransactionAndEachGetsItsReport() throws Exception {
        withSink("far.example", (home, sink) -> {
            Dist.Result r = remote(home, MESSAGE, "far.example", "me@test.example", "a@far.example", "b@far.example");
            assertEquals(0, r.code(), r.stderr());
            assertTrue(r.stdout().matches("r\0r\0K127\\.0\\.0\\.1 accepted message\\.\nRemote host said: 250 [^\0]*\0"),
                r.stdout());
            assertEquals(List.of(List.of("<a@far.example>", "<b@far.example>")), sink.transactions());
            assertTrue(stored(sink).get(0).contains("\nSubject: by hand\n\nhello\n"), stored(sink).get(0));
        });
    }

    @Test
    void aMessageFileIsReadInPlaceAndItsUnfinishedLastLineIsSentWhole() throws Exception {
        withSink("far.example", (home, sink) -> {
            Path message = Files.writeString(dir.resolve("message"), "Subject: from a file\n\nno newline");
            // qmail-rspawn's way: the message is a file on fd 0.
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", "exec \"$0\" \"$@\" <\"$MESSAGE\"",
                Dist.bin("qmail-remote").toString(), "far.example", "me@test.example", "a@far.example");
            pb.environment().put("JQMAIL_HOME", home.dir.toString());
            pb.environment().put("MESSAGE", message.toString());
            Process p = pb.redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertEquals(0, p.waitFor());
            assertTrue(out.startsWith("r\0K127.0.0.1 accepted message."), out);
            assertTrue(stored(sink).get(0).contains("\nSubject: from a file\n\nno newline\n"), stored(sink).get(0));
        });
    }

    @Test
    void aRecipientThePeerRefusesIsReportedPermanentWithThePeersWords() throws Exception {
        withSink("refuses.example", (home, sink) -> {
            Dist.Result r = remote(home, MESSAGE, "refuses.example", "me@test.example", "nobody@refuses.example");
            assertEquals(0, r.code(), r.stderr());
            String refused = "127.0.0.1 does not like recipient.\nRemote host said: 5";
            assertTrue(r.stdout().startsWith("h" + refused), r.stdout());
            assertTrue(r.stdout().matches("h[^\0]*\0D" + refused.replace(".", "\\.") + "[^\0]*\0"), r.stdout());
            assertEquals(List.of(), stored(sink), "nothing was sent");
        }, "-f", "RCPT");
    }

    @Test
    void aPeerThatIsDownIsATemporaryFailureAndStillExitsZero() throws Exception {
        int port = SmtpHome.freePort();
        try (TestHome home = new TestHome(dir.resolve("home"))) {
            route(home, "down.example", port);
            Dist.Result r = remote(home, MESSAGE, "down.example", "me@test.example", "a@down.example");
            assertEquals(0, r.code(), r.stderr());
            String why = "Sorry, I wasn't able to establish an SMTP connection to 127.0.0.1: Connection refused."
                + " (#4.4.1)";
            assertEquals("s" + why + "\0Z" + why + "\0", r.stdout());
        }
    }

    @Test
    void tooFewArgumentsSayHowToCallItOnOneLine() throws Exception {
        Dist.Result r = Dist.run(dir, MESSAGE, Map.of(), "qmail-remote", "far.example", "me@test.example");
        assertEquals(100, r.code());
        assertEquals(List.of("qmail-remote: usage: qmail-remote host sender recip [recip ...]"), r.errLines());
        assertEquals("", r.stdout());
    }
}
