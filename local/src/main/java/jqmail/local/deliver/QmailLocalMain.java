package jqmail.local.deliver;

import java.io.BufferedInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import jdk.net.ExtendedSocketOptions;
import jqmail.common.ChannelStreams;
import jqmail.common.Home;
import jqmail.common.Log;
import jqmail.common.Outcome;
import jqmail.local.users.LocalUser;

/** {@code qmail-local}: see this package's documentation. */
public final class QmailLocalMain {
    static final int USAGE = 100;
    static final int TEMP = 111;
    /** A worker with nothing to do for this long exits; qmail-lspawn starts it again when needed. */
    static final long IDLE_MILLIS = 300_000;

    private QmailLocalMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length >= 1 && args[0].equals("--worker")) {
            System.exit(worker(args));
        }
        System.exit(oneShot(args));
    }

    /** qmail's interface: qmail-local [-nN] -- user home local dash ext domain sender defaultdelivery. */
    static int oneShot(String[] args) throws IOException {
        int i = 0;
        boolean plan = false;
        for (; i < args.length && args[i].startsWith("-") && !args[i].equals("--"); i++) {
            if (args[i].equals("-n")) {
                plan = true;
            } else if (!args[i].equals("-N")) {
                return usage();
            }
        }
        if (i < args.length && args[i].equals("--")) {
            i++;
        }
        if (args.length - i != 8) {
            return usage();
        }
        String[] a = java.util.Arrays.copyOfRange(args, i, i + 8);
        LocalUser u = new LocalUser(a[0], -1, -1, Path.of(a[1]), a[3], a[4]);
        LocalDelivery.Request r = new LocalDelivery.Request(u, a[2], a[5], a[6], a[7], false);
        LocalDelivery d = new LocalDelivery(Home.fromEnvironment(), System.getenv(), LocalDelivery.SpoolAccess.DIRECT);
        if (plan) {
            List<String> lines = d.plan(r);
            for (String l : lines) {
                System.out.println(l);
            }
            return lines.stream().anyMatch(l -> l.startsWith("failure: ")) ? USAGE : 0;
        }
        Outcome o;
        try (Spool s = Spool.read(new BufferedInputStream(new FileInputStream(FileDescriptor.in)), -1, tmpDir())) {
            o = d.deliver(r, s, null);
        }
        System.out.println(o.text());
        return switch (o.letter()) {
            case 'K' -> 0;
            case 'D' -> USAGE;
            default -> TEMP;
        };
    }

    private static int usage() {
        System.err.println("qmail-local: usage: qmail-local [-nN] -- user home local dash ext domain sender defaultdelivery");
        return USAGE;
    }

    private static Path tmpDir() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * qmail-local --worker SOCKET [--spool direct|defer]: serves
     * deliveries for one account on a Unix socket, one per connection, on
     * as many threads as connections, for the uid it runs as. Only root and
     * its own uid may connect. {@code --spool} says who writes the system
     * spool ({@link LocalDelivery.SpoolAccess}); the default is direct.
     */
    static int worker(String[] args) throws IOException {
        LocalDelivery.SpoolAccess access = LocalDelivery.SpoolAccess.DIRECT;
        if (args.length == 4 && args[2].equals("--spool")) {
            try {
                access = LocalDelivery.SpoolAccess.valueOf(args[3].toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return usage();
            }
        } else if (args.length != 2) {
            return usage();
        }
        Path socket = Path.of(args[1]);
        Home home = Home.fromEnvironment();
        LocalDelivery delivery = new LocalDelivery(home, System.getenv(), access);
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        String me = System.getProperty("user.name");
        AtomicLong lastUse = new AtomicLong(System.currentTimeMillis());
        AtomicLong busy = new AtomicLong();
        Thread idle = new Thread(() -> {
            for (;;) {
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    return;
                }
                if (busy.get() == 0 && System.currentTimeMillis() - lastUse.get() > IDLE_MILLIS) {
                    try {
                        Files.deleteIfExists(socket);
                    } catch (IOException e) {
                        // Exiting anyway.
                    }
                    System.exit(0);
                }
            }
        }, "idle");
        idle.setDaemon(true);
        idle.start();
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "delivery");
            t.setDaemon(true);
            return t;
        });
        System.out.println("ready");
        System.out.flush();
        for (;;) {
            SocketChannel ch = server.accept();
            lastUse.set(System.currentTimeMillis());
            pool.execute(() -> {
                busy.incrementAndGet();
                try (ch) {
                    String peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED).user().getName();
                    if (!peer.equals("root") && !peer.equals(me)) {
                        Log.warning("qmail-local: refused a request from " + peer);
                        return;
                    }
                    serve(delivery, ChannelStreams.in(ch), ChannelStreams.out(ch));
                } catch (IOException e) {
                    Log.warning("qmail-local: " + e.getMessage());
                } finally {
                    busy.decrementAndGet();
                    lastUse.set(System.currentTimeMillis());
                }
            });
        }
    }

    /** Deliveries one after another on one connection, until the spawner closes it. */
    private static void serve(LocalDelivery delivery, InputStream in, OutputStream out) throws IOException {
        InputStream bin = new BufferedInputStream(in, 64 * 1024);
        for (;;) {
            bin.mark(1);
            if (bin.read() < 0) {
                return;
            }
            bin.reset();
            DeliveryWire.Request req = DeliveryWire.read(bin);
            Outcome o;
            try (Spool s = Spool.read(bin, req.length(), tmpDir())) {
                o = delivery.deliver(req.delivery(), s, () -> {
                    out.write((DeliveryWire.SPOOL_STEP + "\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    return Outcome.decode(DeliveryWire.readLine(bin));
                });
            }
            out.write(DeliveryWire.line(o));
            out.flush();
        }
    }
}
