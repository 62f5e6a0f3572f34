package jqmail.queue.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import jnr.unixsocket.Credentials;
import jnr.unixsocket.UnixServerSocketChannel;
import jnr.unixsocket.UnixSocketAddress;
import jnr.unixsocket.UnixSocketChannel;
import jnr.unixsocket.UnixSocketOptions;
import jqmail.common.Log;

/**
 * A Unix-domain listening socket whose connections are handed, with the
 * peer's numeric credentials from the kernel, to a handler on a pool
 * thread. jnr-unixsocket is used because the JDK reports peer credentials
 * only as names.
 */
public final class SocketServer implements Runnable {
    /** Serves one accepted connection; owns and closes the channel. */
    public interface Handler {
        void serve(UnixSocketChannel channel, Credentials peer);
    }

    private final Path path;
    private final UnixServerSocketChannel server;
    private final ExecutorService pool;
    private final Handler handler;
    private volatile boolean closed;

    private SocketServer(Path path, UnixServerSocketChannel server, ExecutorService pool, Handler handler) {
        this.path = path;
        this.server = server;
        this.pool = pool;
        this.handler = handler;
    }

    /** Binds {@code path} (replacing a stale socket file) and sets its mode, e.g. "rw-rw-rw-". */
    public static SocketServer bind(Path path, String mode, ExecutorService pool, Handler handler) throws IOException {
        Files.deleteIfExists(path);
        UnixServerSocketChannel server = UnixServerSocketChannel.open();
        server.socket().bind(new UnixSocketAddress(path.toFile()), 128);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        return new SocketServer(path, server, pool, handler);
    }

    @Override
    public void run() {
        while (!closed) {
            UnixSocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    Log.warning("accept on " + path + " failed: " + e.getMessage());
                    pause();
                }
                continue;
            }
            if (ch == null) {
                continue;
            }
            try {
                Credentials peer = ch.getOption(UnixSocketOptions.SO_PEERCRED);
                pool.execute(() -> handler.serve(ch, peer));
            } catch (IOException | RuntimeException e) {
                Log.warning("unable to serve a connection on " + path + ": " + e.getMessage());
                closeQuietly(ch);
            }
        }
    }

    public void close() {
        closed = true;
        try {
            Files.deleteIfExists(path);
            server.close();
        } catch (IOException e) {
            // Shutting down anyway.
        }
    }

    static void closeQuietly(UnixSocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // Already gone.
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
