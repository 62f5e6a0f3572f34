package jqmail.remote.smtp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Against a real peer: Postfix's smtp-sink, which dumps each transaction to
 * a file (its envelope as X-*-Args lines, then the message as it stored it).
 * 2,000 recipients go in batches of 100 over one connection.
 */
@Timeout(120)
class SmtpSinkTest {
    private static final Path SMTP_SINK = Path.of("/usr/sbin/smtp-sink");

    /** Dots to stuff, a lone CR, a CR before a dot, 8-bit, and no final newline. */
    private static final String STORED = "Subject: sink test\nFrom: a@example.org\n\n.starts with a dot\n.\n..\n"
        + "lone\rCR\nX\r.\n8-bit \u00e9\u00fc\nlast line without newline";
    /** What the sink stores: LF lines, dots unstuffed; every line end we sent was CRLF. */
    private static final String RECEIVED = "Subject: sink test\nFrom: a@example.org\n\n.starts with a dot\n.\n..\n"
        + "lone\nCR\nX\n.\n8-bit \u00e9\u00fc\nlast line without newline\n";

    @TempDir
    Path dir;

    @Test
    void twoThousandRecipientsInBatchesOfHundredOnOneConnection() throws Exception {
        assumeTrue(Files.isExecutable(SMTP_SINK), "smtp-sink is not installed");
        Path dumps = dir.resolve("dumps");
        Files.createDirectory(dumps);
        // smtp-sink drops root for nobody before it writes.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(dumps, PosixFilePermissions.fromString("rwxrwxrwx"));

        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(SMTP_SINK.toString()));
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("-u", "nobody"));
        }
        command.addAll(List.of("-d", dumps + "/msg.", "127.0.0.1:" + port, "100"));
        Process sink = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(dir.resolve("sink.log").toFile()).start();
        try {
            List<String> all = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                all.add(String.format("r%04d@example.org", i));
            }
            SmtpConnection c = openWhenListening(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            for (int from = 0; from < all.size(); from += 100) {
                List<RecipientResult> results = c.send("sender@example.org", all.subList(from, from + 100),
                    Messages.of(STORED));
                for (RecipientResult r : results) {
                    assertEquals('K', r.code(), r.recipient() + ": " + r.text());
                }
                assertTrue(c.reusable());
            }
            c.quit();
        } finally {
            // The sink has written each dump before its reply to the end of the data.
            sink.destroy();
            sink.waitFor(10, TimeUnit.SECONDS);
        }

        Set<String> seen = new HashSet<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dumps)) {
            files = s.toList();
        }
        assertEquals(20, files.size(), "one dump per transaction");
        for (Path f : files) {
            String dump = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            List<String> rcpts = new ArrayList<>();
            for (String line : dump.split("\n")) {
                if (line.startsWith("X-Rcpt-Args: ")) {
                    rcpts.add(line.substring(13));
                }
            }
            assertEquals(100, rcpts.size(), f.toString());
            for (String r : rcpts) {
                assertTrue(r.startsWith("<") && r.endsWith(">"), r);
                assertTrue(seen.add(r.substring(1, r.length() - 1)), "twice: " + r);
            }
            assertTrue(dump.contains("\nX-Mail-Args: <sender@example.org> BODY=8BITMIME\n"), dump);
            assertTrue(dump.contains("\nX-Helo-Args: client.example\n"), dump);
            assertEquals(RECEIVED + "\n", message(dump), f.toString());
        }
        assertEquals(2000, seen.size());
    }

    private static SmtpConnection openWhenListening(InetSocketAddress address) throws Exception {
        ClientSettings s = new ClientSettings("client.example", 2000, 10_000, TlsPolicy.NONE, null, null, null, 100);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (;;) {
            try {
                return SmtpConnection.open(address, null, s);
            } catch (SmtpFailure e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /** The dump after smtp-sink's own lines, which end with its three-line Received header. */
    private static String message(String dump) throws IOException {
        int at = dump.indexOf("\nReceived: from ");
        if (at < 0) {
            throw new IOException("no Received line in dump");
        }
        int end = at + 1;
        for (int i = 0; i < 3; i++) {
            end = dump.indexOf('\n', end) + 1;
        }
        return dump.substring(end);
    }
}
