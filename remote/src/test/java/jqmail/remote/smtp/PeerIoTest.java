package jqmail.remote.smtp;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class PeerIoTest {
    private ServerSocket server;
    private Socket peer;
    private OutputStream peerOut;
    private PeerIo io;

    @BeforeEach
    void connect() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        peer = server.accept();
        peerOut = peer.getOutputStream();
        io = new PeerIo(client, 500);
    }

    @AfterEach
    void close() throws IOException {
        io.close();
        peer.close();
        server.close();
    }

    private void peerSays(String s) throws IOException {
        peerOut.write(s.getBytes(StandardCharsets.ISO_8859_1));
        peerOut.flush();
    }

    @Test
    void multiLineReply() throws IOException {
        peerSays("250-first\r\n250-8BITMIME\r\n250 SIZE 1000\r\n");
        PeerReply r = io.readReply();
        assertEquals(250, r.code());
        assertEquals(List.of("250-first", "250-8BITMIME", "250 SIZE 1000"), r.lines());
        assertEquals("250-first\n250-8BITMIME\n250 SIZE 1000", r.said());
    }

    @Test
    void bareCodeAndBareLfAreAccepted() throws IOException {
        peerSays("354\n250 \r\n");
        assertEquals(354, io.readReply().code());
        assertEquals(250, io.readReply().code());
    }

    @Test
    void lineOfExactly2048BytesIsAccepted() throws IOException {
        peerSays("250 " + "x".repeat(PeerIo.MAX_LINE - 4) + "\r\n");
        assertEquals(250, io.readReply().code());
    }

    @Test
    void lineOver2048BytesBreaksTheConnection() throws IOException {
        peerSays("250 " + "x".repeat(PeerIo.MAX_LINE - 3) + "\r\n");
        assertThrows(PeerIo.MalformedReply.class, () -> io.readReply());
    }

    @Test
    void tenThousandByteLineWithoutEnd() throws IOException {
        peerSays("220 " + "y".repeat(10_000));
        assertThrows(PeerIo.MalformedReply.class, () -> io.readReply());
    }

    @Test
    void hundredLinesAreAcceptedAndMoreAreNot() throws IOException {
        peerSays("250-x\r\n".repeat(99) + "250 x\r\n");
        assertEquals(100, io.readReply().lines().size());
        peerSays("250-x\r\n".repeat(100) + "250 x\r\n");
        assertThrows(PeerIo.MalformedReply.class, () -> io.readReply());
    }

    @Test
    void garbageInAMultiLineReply() throws IOException {
        peerSays("250-ok\r\ngarbage here\r\n250 ok\r\n");
        assertThrows(PeerIo.MalformedReply.class, () -> io.readReply());
    }

    @Test
    void differentCodesInOneReply() throws IOException {
        peerSays("250-ok\r\n550 no\r\n");
        assertThrows(PeerIo.MalformedReply.class, () -> io.readReply());
    }

    @Test
    void badSeparatorAndImpossibleCodes() throws IOException {
        for (String bad : List.of("250x\r\n", "25\r\n", "150 hi\r\n", "650 hi\r\n", "2a0 hi\r\n", "\r\n")) {
            connectAgain();
            peerSays(bad);
            assertThrows(PeerIo.MalformedReply.class, () -> io.readReply(), bad);
        }
    }

    @Test
    void saidShowsNoControlOrEightBitBytes() throws IOException {
        peerSays("550 bad\u0000\u001b[31m\u00ff\r\n");
        assertEquals("550 bad??[31m?", io.readReply().said());
    }

    @Test
    void silenceTimesOut() {
        long start = System.nanoTime();
        assertThrows(SocketTimeoutException.class, () -> io.readReply());
        assertTrue(System.nanoTime() - start < 5_000_000_000L);
    }

    @Test
    void tricklingPeerGetsOneTimeoutForTheWholeReply() throws Exception {
        Thread trickle = new Thread(() -> {
            try {
                for (int i = 0; i < 40; i++) {
                    peerSays("250-x\r\n");
                    Thread.sleep(50);
                }
            } catch (IOException | InterruptedException e) {
                // The client gave up.
            }
        });
        trickle.start();
        long start = System.nanoTime();
        assertThrows(SocketTimeoutException.class, () -> io.readReply());
        long took = (System.nanoTime() - start) / 1_000_000;
        assertTrue(took < 1500, "took " + took + " ms for a 500 ms reply timeout");
        trickle.join();
    }

    @Test
    void closeIsEndOfInput() throws IOException {
        peerSays("250-half\r\n");
        peer.close();
        assertThrows(EOFException.class, () -> io.readReply());
    }

    @Test
    void plainTextAfterStarttlsReplyIsRefused() throws IOException {
        peerSays("220 go ahead\r\n250 injected\r\n");
        assertEquals(220, io.readReply().code());
        assertThrows(PeerIo.MalformedReply.class, () -> io.expectNothingMore());
    }

    private void connectAgain() throws IOException {
        close();
        connect();
    }
}
