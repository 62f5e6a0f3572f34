package jqmail.local.lspawn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import jnr.constants.platform.OpenFlags;
import jnr.posix.FileStat;
import jnr.posix.POSIX;
import jnr.unixsocket.Credentials;
import jnr.unixsocket.UnixSocketChannel;
import jqmail.common.ChannelStreams;
import jqmail.common.Home;
import jqmail.common.Identities;
import jqmail.common.Log;
import jqmail.common.Outcome;
import jqmail.common.QueueId;
import jqmail.common.SpawnWire;
import jqmail.local.aliases.AliasIndex;
import jqmail.local.aliases.Target;
import jqmail.local.deliver.DeliveryWire;
import jqmail.local.deliver.LocalDelivery;
import jqmail.local.users.LocalUser;
import jqmail.local.users.UserLookup;
import jqmail.queue.CorruptQueueFileException;
import jqmail.queue.Queue;
import jqmail.queue.QueueFile;

/**
 * The spawner's work for one scheduler connection: read bounded requests
 * ({@link SpawnWire}), deliver each on a thread of its own, write each
 * report back as it comes.
 */
final class Lspawn {
    private final Home home;
    private final Queue queue;
    private final Identities ids;
    private final POSIX posix;
    private final Workers workers;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lspawn");
        t.setDaemon(true);
        return t;
    });
    private final Aliases aliases;
    private volatile UserLookup users;
    private volatile String defaultDelivery;

    Lspawn(Home home, Identities ids, POSIX posix, Workers workers) throws IOException {
        this.home = home;
        this.queue = new Queue(home.queue());
        this.ids = ids;
        this.posix = posix;
        this.workers = workers;
        this.aliases = new Aliases(posix, AliasIndex.path(home), ids.uid(Identities.Role.ALIAS));
        reload();
    }

    void reload() throws IOException {
        users = UserLookup.load(home, ids);
        defaultDelivery = home.controlFiles().line("defaultdelivery", "./Maildir/");
    }

    /** Serves one scheduler connection until it closes. */
    void serve(UnixSocketChannel ch, Credentials peer) {
        if (peer.getUid() != ids.uid(Identities.Role.SEND)) {
            Log.warning("qmail-lspawn: refused a connection from uid " + Integer.toUnsignedString(peer.getUid()));
            SpawnerMain.closeQuietly(ch);
            return;
        }
        try (ch) {
            InputStream in = new java.io.BufferedInputStream(ChannelStreams.in(ch), 8192);
            OutputStream out = ChannelStreams.out(ch);
            for (;;) {
                SpawnWire.Request req = SpawnWire.readRequest(in);
                if (req == null) {
                    return;
                }
                pool.execute(() -> {
                    byte[] b = SpawnWire.report(req.slot(), deliverSafely(req.id(), req.sender(), req.recipient()));
                    synchronized (out) {
                        try {
                            out.write(b);
                            out.flush();
                        } catch (IOException e) {
                            // The scheduler went away; it retries what it did not hear about.
                        }
                    }
                });
            }
        } catch (IOException e) {
            Log.warning("qmail-lspawn: lost the scheduler: " + e.getMessage());
        }
    }

    /** Every request gets a report, so the scheduler never waits on a slot forever. */
    private Outcome deliverSafely(QueueId id, String sender, String recipient) {
        try {
            return deliver(id, sender, recipient);
        } catch (RuntimeException e) {
            Log.warning("qmail-lspawn: trouble delivering " + id + ": " + e);
            return new Outcome.TempFailure("Internal trouble in qmail-lspawn. (#4.3.0)");
        }
    }

    Outcome deliver(QueueId id, String sender, String recipient) {
        int at = recipient.lastIndexOf('@');
        if (at < 0) {
            return new Outcome.PermFailure("Sorry, address must include host name. (#5.1.3)");
        }
        String local = recipient.substring(0, at);
        String domain = recipient.substring(at + 1);
        if (local.isEmpty()) {
            return new Outcome.Delivered("trashed");
        }
        AliasIndex index;
        List<Target> alias;
        try {
            users = users.reloadIfChanged();
            index = aliases.current();
            alias = index == null ? null : index.lookup(local);
        } catch (IOException e) {
            return new Outcome.TempFailure("Trouble reading users/cdb, aliases.cdb or passwd in qmail-lspawn. (#4.3.0)");
        }
        if (alias != null) {
            return deliverAlias(id, index, local, domain, sender);
        }
        return deliverToAccount(id, local, domain, sender);
    }

    /** To the account that {@code local} names (users/cdb, passwd, else the alias user), without aliases. */
    private Outcome deliverToAccount(QueueId id, String local, String domain, String sender) {
        try {
            return deliverTo(id, request(users.find(local), local, domain, sender));
        } catch (IOException e) {
            return new Outcome.TempFailure("Trouble reading users/cdb or passwd in qmail-lspawn. (#4.3.0)");
        }
    }

    private LocalDelivery.Request request(LocalUser u, String local, String domain, String sender) {
        return new LocalDelivery.Request(u, local, domain, sender, defaultDelivery, u.home().startsWith(home.vmail()));
    }

    /**
     * An /etc/aliases name, expanded before users and .qmail files as
     * sendmail and Postfix do. A {@code \name} (an account's own mailbox,
     * never expanded again) is delivered here to that account first; then
     * the alias user (never root) does the rest with this address's
     * Delivered-To line: its programs and files, and one injection that
     * forwards to every address, local names included, so that each member
     * is retried or bounced on its own and a member's trouble never
     * delivers the others again. A loop is permanent and names the chain.
     */
    private Outcome deliverAlias(QueueId id, AliasIndex index, String name, String domain, String sender) {
        AliasIndex.Expansion e;
        try {
            e = index.expand(name, aliases::include);
        } catch (IOException ex) {
            return new Outcome.TempFailure("Unable to expand alias " + name + ": " + ex.getMessage() + " (#4.3.0)");
        }
        if (!e.loop().isEmpty()) {
            return new Outcome.PermFailure("Alias loop: " + String.join(" -> ", e.loop()) + ". (#5.4.6)");
        }
        List<String> lines = new ArrayList<>();
        List<String> mailboxes = new ArrayList<>();
        for (Target t : e.targets()) {
            if (t instanceof Target.Mail m && m.verbatim() && m.address().value().indexOf('@') < 0) {
                mailboxes.add(m.address().value());
            } else {
                lines.add(t.qmailLine(domain));
            }
        }
        if (lines.stream().mapToLong(l -> l.length() + 1L).sum() >= DeliveryWire.MAX_LINES) {
            return new Outcome.PermFailure("Alias " + name + " expands to more targets than one delivery takes ("
                + DeliveryWire.MAX_LINES + " bytes); split it. (#5.3.4)");
        }
        for (String l : mailboxes) {
            Outcome o = deliverToAccount(id, l, domain, sender);
            if (!(o instanceof Outcome.Delivered)) {
                return o;
            }
        }
        if (!lines.isEmpty()) {
            Identities.Account a = ids.account(Identities.Role.ALIAS);
            LocalUser aliasUser = new LocalUser(a.name(), a.uid(), a.gid(), home.alias(), "", "");
            Outcome o = deliverTo(id, request(aliasUser, name, domain, sender).withLines(lines));
            if (!(o instanceof Outcome.Delivered)) {
                return o;
            }
        }
        return new Outcome.Delivered("alias " + name + ": " + (lines.size() + mailboxes.size()) + " targets");
    }

    private Outcome deliverTo(QueueId id, LocalDelivery.Request d) {
        if (ids.isSystem() && d.user().uid() == 0) {
            return new Outcome.TempFailure("Not allowed to perform deliveries as root. (#4.3.0)");
        }
        return withMessage(id, d);
    }

    /** Opens the message itself, without following links, and checks it belongs to the queue. */
    private Outcome withMessage(QueueId id, LocalDelivery.Request d) {
        // The scheduler may deliver before the queue daemon has moved the message out of todo/.
        int flags = OpenFlags.O_RDONLY.intValue() | OpenFlags.O_NOFOLLOW.intValue() | OpenFlags.O_NONBLOCK.intValue()
            | OpenFlags.O_CLOEXEC.intValue();
        Path mess = queue.messFile(id);
        int fd = posix.open(mess.toString(), flags, 0);
        if (fd < 0) {
            fd = posix.open(queue.todoFile(id).toString(), flags, 0);
        }
        if (fd < 0) {
            fd = posix.open(mess.toString(), flags, 0);
        }
        if (fd >= 0 && !queue.stillQueued(id)) {   // removed as it was opened: the file may hold another message next
            posix.close(fd);
            fd = -1;
        }
        if (fd < 0) {
            return new Outcome.TempFailure("Unable to open message " + id + ". (#4.3.0)");
        }
        try {
            FileStat st = posix.fstat(fd);
            if (!st.isFile() || st.uid() != ids.uid(Identities.Role.QUEUE)) {
                return new Outcome.TempFailure("Sorry, message has wrong owner. (#4.3.5)");
            }
            try (FileChannel ch = FileChannel.open(Path.of("/proc/self/fd/" + fd), StandardOpenOption.READ)) {
                return toWorker(d, ch, QueueFile.bodyLength(ch));
            }
        } catch (CorruptQueueFileException e) {
            return new Outcome.TempFailure("Message " + id + " is damaged: " + e.getMessage() + " (#4.3.0)");
        } catch (IOException e) {
            return new Outcome.TempFailure("Unable to read message " + id + ": " + e.getMessage() + " (#4.3.0)");
        } finally {
            posix.close(fd);
        }
    }

    /** A connection to a worker, kept for the next delivery to the same account. */
    private record WorkerConnection(SocketChannel channel, InputStream reports) {
        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // Done with it either way.
            }
        }
    }

    private final java.util.Map<Path, java.util.concurrent.ConcurrentLinkedDeque<WorkerConnection>> idle =
        new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A pooled connection, or a new one whose peer is checked: the socket's
     * directory belongs to the account, which could put a link to another
     * account's worker in its place, so the worker must run as that account
     * (in a system home).
     */
    private WorkerConnection connection(Path socket, LocalUser u) throws IOException {
        WorkerConnection c = idle.computeIfAbsent(socket, k -> new java.util.concurrent.ConcurrentLinkedDeque<>()).poll();
        if (c != null) {
            return c;
        }
        SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        if (ids.isSystem()) {
            String peer = ch.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED).user().getName();
            jnr.posix.Passwd pw = posix.getpwuid(u.uid());
            if (pw == null || !peer.equals(pw.getLoginName())) {
                ch.close();
                throw new IOException("the worker at " + socket + " runs as " + peer + ", not as uid " + u.uid());
            }
        }
        return new WorkerConnection(ch, new java.io.BufferedInputStream(ChannelStreams.in(ch), 1024));
    }

    /**
     * One delivery by the account's worker. At a spool line the worker asks
     * (S) and this process appends the message to the account's spool file
     * as root, answers with the outcome, and waits for the final report.
     */
    private Outcome toWorker(LocalDelivery.Request d, FileChannel message, long length) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path socket = workers.socketFor(d.user());
            WorkerConnection c = null;
            try {
                c = connection(socket, d.user());
                DeliveryWire.write(ChannelStreams.out(c.channel()), d, length);   // one write of its own
                for (long pos = 0; pos < length; ) {   // sendfile(2): the bytes never enter this JVM
                    long n = message.transferTo(pos, length - pos, c.channel());
                    if (n <= 0) {
                        throw new IOException("message shrank");
                    }
                    pos += n;
                }
                String report = DeliveryWire.readLine(c.reports());
                while (report.equals(DeliveryWire.SPOOL_STEP)) {   // once per spool line of the account's
                    // The worker is the account's: it may ask only for its own system account's spool.
                    boolean allowed = ids.isSystem() && d.systemAccount(home);
                    Outcome spool = allowed ? SystemSpool.append(posix, d, message, length)
                        : new Outcome.TempFailure("qmail-local asked for a spool it has none of. (#4.3.5)");
                    ChannelStreams.out(c.channel()).write(DeliveryWire.line(spool));
                    report = DeliveryWire.readLine(c.reports());
                }
                idle.computeIfAbsent(socket, k -> new java.util.concurrent.ConcurrentLinkedDeque<>()).push(c);
                return Outcome.decode(report);
            } catch (IOException e) {
                if (c != null) {
                    c.close();
                }
                if (attempt > 0) {
                    workers.forget(d.user());
                    return new Outcome.TempFailure("Unable to run qmail-local: " + e.getMessage() + " (#4.3.0)");
                }
                dropIdle(socket);
            }
        }
    }

    /** A connection failed: the others to the same worker are suspect too. */
    private void dropIdle(Path socket) {
        var q = idle.remove(socket);
        if (q != null) {
            for (WorkerConnection c : q) {
                c.close();
            }
        }
    }
}
