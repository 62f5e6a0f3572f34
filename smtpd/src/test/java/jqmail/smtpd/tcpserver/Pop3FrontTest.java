package jqmail.smtpd.tcpserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import jqmail.common.AuthWire;
import jqmail.common.smtp.SmtpIo;
import jqmail.common.smtp.Watchdogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The POP3 front's dialogue before login, and its hand-over to the login
 * socket (a scripted stand-in for qmail-lspawn on a real Unix socket).
 */
class Pop3FrontTest {
    @TempDir
    Path dir;

    /** Runs the front over the client's whole input; returns its reply lines. */
    List<String> session(String input, String remoteIp, Path logins) throws Exception {
        InputStream in = new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Watchdogs.Watchdog w = new Watchdogs().watchdog(() -> { })) {
            SmtpIo io = new SmtpIo(in, out, w, 10_000, 1 << 20);
            new Pop3Front(io, in, out, null, false, logins, remoteIp).run();
        }
        return List.of(out.toString(StandardCharsets.ISO_8859_1).split("\r\n"));
    }

    @Test
    void aStrangerWithoutTlsMayNotSendAPassword() throws Exception {
        List<String> r = session("CAPA\r\nUSER carol\r\nSTLS\r\nQUIT\r\n", "192.0.2.7", dir.resolve("none"));
        assertEquals("+OK ready", r.get(0));
        int end = r.indexOf(".");
        List<String> capa = r.subList(1, end);
        assertFalse(capa.contains("USER"), "no USER offered in clear text to a stranger: " + capa);
        assertFalse(capa.contains("STLS"), "no certificate, no STLS");
        assertTrue(r.get(end + 1).startsWith("-ERR [AUTH]"), r.toString());
        assertEquals("-ERR TLS not available", r.get(end + 2));
        assertEquals("+OK bye", r.get(end + 3));
    }

    @Test
    void fromLoopbackUserPassGoesOnAndErrorsAreCounted() throws Exception {
        String input = "CAPA\r\nPASS x\r\n" + "NOOP\r\n".repeat(25);
        List<String> r = session(input, "127.0.0.1", dir.resolve("none"));
        assertTrue(r.contains("USER"), r.toString());
        assertTrue(r.contains("-ERR USER first"));
        assertEquals("-ERR too many errors", r.get(r.size() - 1));
        assertEquals(21, r.stream().filter(l -> l.startsWith("-ERR")).count(), "20 refusals, then the end");
    }

    @Test
    void aRefusedLoginMayBeRetriedAndASessionGetsWhatWasPipelinedBehindPass() throws Exception {
        Path sock = dir.resolve("pop3.sock");
        List<String[]> requests = new ArrayList<>();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            CompletableFuture<String> pipelined = CompletableFuture.supplyAsync(() -> {
                try {
                    try (SocketChannel c = server.accept()) {
                        requests.add(AuthWire.readRequest(Channels.newInputStream(c)));
                        c.write(java.nio.ByteBuffer.wrap("-ERR [AUTH] authentication failed\r\n".getBytes()));
                    }
                    try (SocketChannel c = server.accept()) {
                        InputStream in = Channels.newInputStream(c);
                        requests.add(AuthWire.readRequest(in));
                        c.write(java.nio.ByteBuffer.wrap("+OK logged in\r\n".getBytes()));
                        byte[] stat = in.readNBytes(6);
                        c.write(java.nio.ByteBuffer.wrap("+OK 0 0\r\n".getBytes()));
                        return new String(stat, StandardCharsets.US_ASCII);
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            List<String> r = session("USER carol\r\nPASS wrong\r\nUSER carol\r\nPASS right\r\nSTAT\r\n", "127.0.0.1",
                sock);
            assertEquals(List.of("+OK ready", "+OK", "-ERR [AUTH] authentication failed", "+OK", "+OK logged in",
                "+OK 0 0"), r);
            assertEquals("STAT\r\n", pipelined.get(), "the command behind PASS reached the session");
        }
        assertEquals(List.of("pop3", "carol", "wrong", "127.0.0.1"), List.of(requests.get(0)));
        assertEquals("right", requests.get(1)[2]);
    }
}
