package jqmail.scripts;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jqmail.common.Home;

/**
 * The daemons {@code jqmail start} runs, in start order, and how to tell
 * that each is ready. Each runs as {@code dist/bin/NAME --home DIR}, so
 * {@code ps} shows the program and the home.
 */
final class Daemons {
    /** One daemon: its program name and its readiness probe. */
    record Spec(String name, Probe probe) {
        List<String> command(Path dist, Home home) {
            return List.of(dist.resolve("bin").resolve(name).toString(), "--home", home.root().toString());
        }
    }

    /** True once the daemon accepts work. */
    interface Probe {
        boolean ready(Home home);
    }

    static final String SUPERVISOR = "supervise";

    private Daemons() {
    }

    static List<Spec> all() {
        return List.of(new Spec("qmail-queued", h -> accepts(h.injectSocket())));
    }

    /** Log directories: one per daemon and the supervisor's. */
    static List<String> logNames() {
        List<String> names = new ArrayList<>();
        names.add(SUPERVISOR);
        for (Spec s : all()) {
            names.add(s.name());
        }
        return names;
    }

    /** A connection that closes at once: the queue daemon takes it as an injection abandoned before it began. */
    static boolean accepts(Path socket) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
