package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A private Postfix on a free loopback port: the peer remote delivery meets
 * in the world. It offers STARTTLS with a self-signed certificate (for
 * 127.0.0.1 and localhost), delivers mail for {@link #DOMAIN} with its
 * {@code virtual} agent into Maildirs under its directory, and answers
 * chosen recipients with chosen replies (an access table a test rewrites).
 * Everything lives under one directory ({@code postfix -c}): the system's
 * Postfix and port 25 are never touched.
 */
final class PostfixPeer implements AutoCloseable {
    static final String DOMAIN = "peer.example";
    private static final Path POSTFIX = Path.of("/usr/sbin/postfix");

    final int port;
    /** The peer's certificate, PEM: the CA file a verifying client needs. */
    final Path cert;
    private final Path dir;
    private final Path conf;

    /** Postfix's master starts as root and drops to its own user; without both, the test is skipped. */
    static void assumeAvailable() {
        Assumptions.assumeTrue(Files.isExecutable(POSTFIX), "Postfix is not installed (scripts/deps test)");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "a private Postfix needs root");
    }

    /** Starts a peer that has a mailbox for each of {@code users} at {@link #DOMAIN}. */
    PostfixPeer(Path dir, String... users) throws Exception {
        assumeAvailable();
        this.dir = dir;
        this.conf = dir.resolve("conf");
        this.cert = conf.resolve("cert.pem");
        this.port = SmtpHome.freePort();
        Files.createDirectories(conf);
        Files.createDirectories(dir.resolve("queue"));
        // Postfix's daemons run as postfix, its virtual agent as nobody: the way down must be open to them.
        RemoteIT.Sink.openWayDown(dir);
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        UserPrincipalLookupService names = dir.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(Files.createDirectories(dir.resolve("data")), names.lookupPrincipalByName("postfix"));
        Path mail = Files.createDirectories(dir.resolve("mail"));
        Files.setOwner(mail, names.lookupPrincipalByName("nobody"));
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", conf.resolve("key.pem").toString(),
            "-out", cert.toString());
        StringBuilder boxes = new StringBuilder();
        for (String u : users) {
            boxes.append(u).append('@').append(DOMAIN).append(' ').append(DOMAIN).append('/').append(u).append("/\n");
        }
        Files.writeString(conf.resolve("mailboxes"), boxes);
        Files.writeString(conf.resolve("access"), "");
        Files.writeString(conf.resolve("main.cf"), mainCf(Files.getAttribute(mail, "unix:uid")));
        Files.writeString(conf.resolve("master.cf"), masterCf());
        run(POSTFIX.toString(), "-c", conf.toString(), "start");
        for (int i = 0; i < 100; i++) {
            try (var s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        close();
        throw new AssertionError("Postfix did not listen on " + port + "\n" + log());
    }

    private String mainCf(Object uid) {
        return """
            compatibility_level = 3.6
            queue_directory = %1$s/queue
            data_directory = %1$s/data
            maillog_file = %1$s/maillog
            maillog_file_prefixes = %1$s
            myhostname = mx.%2$s
            mydestination =
            alias_maps =
            alias_database =
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            mynetworks = 127.0.0.0/8
            smtpd_tls_cert_file = %1$s/conf/cert.pem
            smtpd_tls_key_file = %1$s/conf/key.pem
            smtpd_tls_security_level = may
            smtpd_tls_loglevel = 1
            smtpd_recipient_restrictions = check_recipient_access texthash:%1$s/conf/access, permit_mynetworks, reject
            virtual_mailbox_domains = %2$s
            virtual_mailbox_base = %1$s/mail
            virtual_mailbox_maps = texthash:%1$s/conf/mailboxes
            virtual_uid_maps = static:%3$s
            virtual_gid_maps = static:%3$s
            biff = no
            """.formatted(dir, DOMAIN, uid);
    }

    /** Only the SMTP server on our port is inet; the rest are Postfix's internal services. */
    private String masterCf() {
        StringBuilder b = new StringBuilder("127.0.0.1:" + port + " inet n - n - - smtpd\n");
        for (String s : List.of("pickup unix n - n 60 1 pickup", "cleanup unix n - n - 0 cleanup",
            "qmgr unix n - n 300 1 qmgr", "tlsmgr unix - - n 1000? 1 tlsmgr", "rewrite unix - - n - - trivial-rewrite",
            "bounce unix - - n - 0 bounce", "defer unix - - n - 0 bounce", "trace unix - - n - 0 bounce",
            "verify unix - - n - 1 verify", "flush unix n - n 1000? 0 flush", "proxymap unix - - n - - proxymap",
            "showq unix n - n - - showq", "error unix - - n - - error", "retry unix - - n - - error",
            "discard unix - - n - - discard", "virtual unix - n n - - virtual", "anvil unix - - n - 1 anvil",
            "scache unix - - n - 1 scache", "postlog unix-dgram n - n - 1 postlogd")) {
            b.append(s).append('\n');
        }
        return b.toString();
    }

    /**
     * From now on the peer answers RCPT TO for each recipient (local part) with
     * its reply, e.g. {@code "452 4.2.2 Mailbox full"}; an empty map takes the
     * replies back. Returns once Postfix has reloaded: sessions that start later
     * see the new table (one already open keeps the old).
     */
    void replies(Map<String, String> byUser) throws Exception {
        StringBuilder b = new StringBuilder();
        byUser.forEach((u, reply) -> b.append(u).append('@').append(DOMAIN).append(' ').append(reply).append('\n'));
        Files.writeString(conf.resolve("access"), b);
        long reloads = log().lines().filter(l -> l.contains("master[") && l.contains(": reload ")).count();
        run(POSTFIX.toString(), "-c", conf.toString(), "reload");
        await("Postfix reloaded", () -> log().lines().filter(l -> l.contains("master[") && l.contains(": reload "))
            .count() > reloads);
    }

    /** The messages in {@code user}'s Maildir, whole. */
    List<String> mailbox(String user) throws Exception {
        Path maildir = dir.resolve("mail").resolve(DOMAIN).resolve(user);
        return Files.isDirectory(maildir.resolve("new")) ? DotQmailIT.files(maildir) : List.of();
    }

    /** Waits until no SMTP session is open, so the next one starts under the current configuration. */
    void awaitNoSession() throws Exception {
        await("every session closed", () -> count(": connect from ") == count(": disconnect from "));
    }

    private long count(String s) {
        return log().lines().filter(l -> l.contains(s)).count();
    }

    /** Postfix's log: connections, TLS, each reply and delivery. */
    String log() {
        try {
            return Files.readString(dir.resolve("maillog"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls {@code c} for up to 60 s. */
    static void await(String what, Condition c) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!c.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    }

    @Override
    public void close() throws Exception {
        Path pidFile = dir.resolve("queue/pid/master.pid");
        var master = Files.exists(pidFile) ? ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()))
            : java.util.Optional.<ProcessHandle>empty();
        new ProcessBuilder(POSTFIX.toString(), "-c", conf.toString(), "stop").redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
        // The master stops its daemons on the way out; one that does not go within a minute is killed.
        if (master.isPresent()) {
            try {
                master.get().onExit().get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                master.get().destroyForcibly();
            }
        }
    }
}
