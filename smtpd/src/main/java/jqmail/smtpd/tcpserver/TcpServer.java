package jqmail.smtpd.tcpserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jqmail.common.Accounts;
import jqmail.common.Home;
import jqmail.common.Log;
import jqmail.common.AuthClient;
import jqmail.common.smtp.Access;
import jqmail.common.smtp.Authenticator;
import jqmail.common.smtp.Reply;
import jqmail.common.smtp.SmtpIo;
import jqmail.common.smtp.SmtpSession;
import jqmail.common.smtp.SmtpSettings;
import jqmail.common.smtp.StartTls;
import jqmail.common.smtp.Watchdogs;

/**
 * The listening side of tcpserver: accepts while fewer than {@code -c}
 * connections run (beyond that the kernel's backlog holds them, as
 * ucspi-tcp does), applies the rules, the per-address limit and the DNSBLs,
 * and runs each connection either as an SMTP session on a thread of this
 * JVM or as an external program with the connection on its stdin and
 * stdout. A session's failure, timeout or byte cap ends that session only.
 */
final class TcpServer {
    private final ServerOptions options;
    private final Home home;
    private final ServerSocketChannel listener;
    private final Rules rules;
    private final Dnsbl dnsbl;
    private final Semaphore slots;
    private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "session");
        t.setDaemon(true);
        return t;
    });
    private final Watchdogs watchdogs = new Watchdogs();
    private final AtomicLong sessions = new AtomicLong();
    private final Authenticator auth;
    private SessionConfig config;
    /** The variables of tcpserver's own environment a session reads; programs get the whole environment. */
    private static final Map<String, String> INHERITED = inherited();

    private static Map<String, String> inherited() {
        Map<String, String> m = new HashMap<>();
        for (String k : new String[] {"RELAYCLIENT", "QMAILQUEUE", "DATABYTES", "RBLSMTPD", "JQMAIL_HOME"}) {
            String v = System.getenv(k);
            if (v != null) {
                m.put(k, v);
            }
        }
        return m;
    }

    private TcpServer(ServerOptions options, Home home, ServerSocketChannel listener) {
        this.options = options;
        this.home = home;
        this.listener = listener;
        this.rules = new Rules(options.rules(), options.rulesMissingAllowed());
        this.dnsbl = new Dnsbl(options.rbl());
        this.slots = new Semaphore(options.maxConnections());
        this.auth = new AuthClient(home.authSocket());
    }

    static TcpServer open(ServerOptions o, Home home) throws IOException {
        ServerSocketChannel ch;
        if (o.inherited()) {
            Channel c = System.inheritedChannel();
            if (!(c instanceof ServerSocketChannel)) {
                throw new IOException("--inherited: descriptor 0 is not a listening TCP socket");
            }
            ch = (ServerSocketChannel) c;
        } else {
            ch = ServerSocketChannel.open();
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(new InetSocketAddress(listenAddress(o.host()), Integer.parseInt(o.port())), o.backlog());
        }
        return new TcpServer(o, home, ch);
    }

    /** "0" is every address, IPv6 and IPv4 alike; anything else is looked up once, at start. */
    private static InetAddress listenAddress(String host) throws IOException {
        if (host.equals("0") || host.equals("::") || host.equals("0.0.0.0")) {
            try {
                return InetAddress.getByName(host.equals("0.0.0.0") ? "0.0.0.0" : "::");
            } catch (IOException e) {
                return InetAddress.getByName("0.0.0.0");
            }
        }
        return InetAddress.getByName(host);
    }

    int localPort() throws IOException {
        return ((InetSocketAddress) listener.getLocalAddress()).getPort();
    }

    /** Accepts until the process ends. */
    void serve() throws IOException {
        if (options.inProcess()) {
            config = new SessionConfig(home);
        }
        status();
        for (;;) {
            slots.acquireUninterruptibly();
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (IOException e) {
                slots.release();
                if (!listener.isOpen()) {
                    return;
                }
                Log.warning("tcpserver: accept failed: " + e.getMessage());
                continue;
            }
            threads.execute(() -> {
                try {
                    connection(ch);
                } finally {
                    slots.release();
                    status();
                }
            });
        }
    }

    private void status() {
        if (options.verbosity() >= ServerOptions.VERBOSE) {
            Log.info("tcpserver: status: " + (options.maxConnections() - slots.availablePermits()) + "/"
                + options.maxConnections());
        }
    }

    private void connection(SocketChannel ch) {
        long n = sessions.incrementAndGet();
        InetAddress remote = null;
        try (ch) {
            Socket s = ch.socket();
            s.setTcpNoDelay(true);
            InetSocketAddress r = (InetSocketAddress) ch.getRemoteAddress();
            InetSocketAddress l = (InetSocketAddress) ch.getLocalAddress();
            remote = unmapped(r.getAddress());
            Rules.Verdict v = rules.lookup(remote);
            Map<String, String> env = environment(r, l, remote, v.env());
            if (v.deny()) {
                log("deny " + n + " " + env.get("TCPLOCALIP") + ":" + env.get("TCPLOCALPORT") + " "
                    + env.get("TCPREMOTEIP") + ":" + env.get("TCPREMOTEPORT"));
                return;
            }
            AtomicInteger count = perAddress.computeIfAbsent(remote, k -> new AtomicInteger());
            try {
                if (count.incrementAndGet() > options.perIp()) {
                    say(s, Reply.TOO_MANY_FROM_YOU);
                    log("deny " + n + " " + env.get("TCPREMOTEIP") + ": over the per-address limit");
                    return;
                }
                log("ok " + n + " " + env.get("TCPLOCALIP") + ":" + env.get("TCPLOCALPORT") + " "
                    + env.get("TCPREMOTEIP") + ":" + env.get("TCPREMOTEPORT"));
                if (options.banner() != null) {
                    s.getOutputStream().write(options.banner().getBytes(StandardCharsets.ISO_8859_1));
                }
                run(s, env, remote);
            } finally {
                if (count.decrementAndGet() == 0) {
                    perAddress.remove(remote, count);
                }
            }
            log("end " + n + " status 0");
        } catch (IOException | RuntimeException e) {
            if (options.verbosity() >= ServerOptions.ERRORS && !(e instanceof IOException)) {
                Log.warning("tcpserver: connection " + n + " from " + remote + " failed: " + e);
            }
        }
    }

    private void run(Socket s, Map<String, String> env, InetAddress remote) throws IOException {
        if (!options.inProcess()) {
            ExternalProgram.run(options.program(), env, s);
            return;
        }
        if (options.service().pop3()) {
            pop3(s, env);
            return;
        }
        Dnsbl.Listing listed = dnsbl.check(remote, env.get("RBLSMTPD"));
        try (Watchdogs.Watchdog w = watchdogs.watchdog(() -> expire(s))) {
            SmtpSettings settings;
            Accounts accounts;
            ServerTls tls;
            try {
                SessionConfig.ForConnection c = config.forConnection(env.get("DATABYTES"));
                settings = c.settings();
                tls = c.tls();
                accounts = config.accounts();
            } catch (IOException e) {
                Log.warning("tcpserver: unable to read controls: " + e.getMessage());
                say(s, Reply.CONTROL_TROUBLE);
                return;
            }
            int timeout = (int) Math.min(Integer.MAX_VALUE, settings.timeoutSeconds() * 1000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            Access access;
            if (options.service() == ServerOptions.Service.SMTPS) {
                StartTls.Upgraded u = implicitTls(s, tls, timeout, env);
                if (u == null) {
                    return;
                }
                in = u.in();
                out = u.out();
                access = new Access(null, u.summary(), auth, true);
            } else {
                boolean submission = options.service() == ServerOptions.Service.SUBMISSION;
                access = new Access(tls == null ? null : tls.over(s, timeout), null, submission ? auth : null, submission);
            }
            SmtpIo io = new SmtpIo(in, out, w, settings.timeoutSeconds() * 1000, settings.sessionByteCap());
            if (listed != null) {
                new RblSession(io, settings.greeting(), listed, options.rblReject()).run();
            } else {
                new SmtpSession(home, settings, accounts, SmtpSession.Client.of(env), io, access).run();
            }
        }
    }

    /** The POP3 front; 995 starts with the handshake. */
    private void pop3(Socket s, Map<String, String> env) throws IOException {
        try (Watchdogs.Watchdog w = watchdogs.watchdog(() -> expire(s))) {
            ServerTls tls;
            long timeout;
            try {
                SessionConfig.ForConnection c = config.forConnection(null);
                tls = c.tls();
                timeout = c.pop3Timeout();
            } catch (IOException e) {
                Log.warning("tcpserver: unable to read controls: " + e.getMessage());
                return;
            }
            int millis = (int) Math.min(Integer.MAX_VALUE, timeout * 1000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            boolean implicit = options.service() == ServerOptions.Service.POP3S;
            if (implicit) {
                StartTls.Upgraded u = implicitTls(s, tls, millis, env);
                if (u == null) {
                    return;
                }
                in = u.in();
                out = u.out();
            }
            SmtpIo io = new SmtpIo(in, out, w, timeout * 1000, 1 << 20);   // before login: a few short commands
            new Pop3Front(io, in, out, implicit || tls == null ? null : tls.over(s, millis), implicit,
                home.run().resolve("lspawn/pop3.sock"), env.get("TCPREMOTEIP")).run();
        }
    }

    /** 465 and 995: the handshake before anything else; null (logged) when there is no TLS to be had. */
    private StartTls.Upgraded implicitTls(Socket s, ServerTls tls, int timeoutMillis, Map<String, String> env) {
        if (tls == null) {
            Log.warning("tcpserver: --" + options.service().name().toLowerCase(java.util.Locale.ROOT)
                + " without control/servercert.pem: closing the connection");
            return null;
        }
        try {
            return tls.over(s, timeoutMillis).upgrade();
        } catch (IOException e) {
            Log.info("tls handshake with " + env.get("TCPREMOTEIP") + " failed: " + e.getMessage());
            return null;
        }
    }

    private Map<String, String> environment(InetSocketAddress r, InetSocketAddress l, InetAddress remote,
                                            Map<String, String> fromRules) {
        Map<String, String> env = new HashMap<>(INHERITED);
        InetAddress local = unmapped(l.getAddress());
        env.put("PROTO", remote instanceof Inet6Address ? "TCP6" : "TCP");
        env.put("TCPREMOTEIP", text(remote));
        env.put("TCPREMOTEPORT", Integer.toString(r.getPort()));
        env.put("TCPLOCALIP", text(local));
        env.put("TCPLOCALPORT", Integer.toString(l.getPort()));
        if (options.localName() != null) {
            env.put("TCPLOCALHOST", options.localName());
        }
        env.putAll(fromRules);
        return env;
    }

    /** An IPv4 client on a dual-stack socket is shown and matched as IPv4. */
    static InetAddress unmapped(InetAddress a) {
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
                try {
                    return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (IOException e) {
                    return a;
                }
            }
        }
        return a;
    }

    static String text(InetAddress a) {
        return a instanceof Inet4Address ? a.getHostAddress() : Rule.canonical(a);
    }

    private static void say(Socket s, Reply r) {
        try {
            OutputStream out = s.getOutputStream();
            out.write(r.format().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            // Already gone.
        }
    }

    /**
     * A read that timed out: shut the input, so the session wakes, says 451
     * and leaves. A write that timed out (or a second timeout): close.
     */
    private static void expire(Socket s) {
        try {
            if (s.isInputShutdown()) {
                s.close();
            } else {
                s.shutdownInput();
            }
        } catch (IOException e) {
            closeQuietly(s);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // Closing is all that was asked.
        }
    }

    private void log(String line) {
        if (options.verbosity() >= ServerOptions.VERBOSE) {
            Log.info("tcpserver: " + line);
        }
    }

    void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // Exiting.
        }
    }

}
