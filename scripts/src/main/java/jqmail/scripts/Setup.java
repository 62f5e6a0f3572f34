package jqmail.scripts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import jnr.posix.FileStat;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.posix.Passwd;
import jqmail.common.Home;
import jqmail.common.Identities;
import jqmail.common.Identities.Account;
import jqmail.common.Identities.Role;
import jqmail.local.aliases.AliasIndex;

/**
 * {@code jqmail setup}: makes (or repairs) a home with the layout of
 * {@link Layout}. Idempotent: run again, it creates what is missing and
 * resets owners and modes, and never touches the queue's contents.
 */
final class Setup {
    /** DESIGN §7: loopback may relay, everyone else may connect. */
    static final String TCP_SMTP = "# tcprules(1) syntax; jqmail start compiles it into tcp.smtp.cdb\n"
        + "127.:allow,RELAYCLIENT=\"\"\n"
        + "::1:allow,RELAYCLIENT=\"\"\n"
        + ":allow\n";

    private final POSIX posix = POSIXFactory.getNativePOSIX();
    private final Home home;
    private final Path dist;
    private final Map<Role, String> names = new EnumMap<>(Role.class);
    private String group;
    private RootMail rootMail;
    private boolean qmailCompat;

    Setup(Home home, Path dist) {
        this.home = home;
        this.dist = dist;
    }

    /**
     * A system home's account names and queue group other than DESIGN §2's
     * defaults. Unset, a home keeps the names it was set up with.
     */
    Setup names(Map<Role, String> accounts, String queueGroup) {
        names.putAll(accounts);
        group = queueGroup;
        return this;
    }

    /** Where mail for root goes from now on; unset, it stays where it goes. */
    Setup rootMail(RootMail r) {
        rootMail = r;
        return this;
    }

    /** Make /var/qmail for this home (a system home's only); one made before is brought up to date anyway. */
    Setup qmailCompat(boolean make) {
        qmailCompat = make;
        return this;
    }

    /** The aliases file of a system home: /etc/aliases; tests name another with this system property. */
    static final String ALIASES_PROPERTY = "jqmail.aliasesFile";

    static Path aliasesFile() {
        return Path.of(System.getProperty(ALIASES_PROPERTY, "/etc/aliases"));
    }

    /** @return the identities written to users/ids */
    Identities run(String me, boolean system) throws IOException {
        Identities ids = system ? systemAccounts() : Identities.userMode(currentAccount());
        int jqmailGid = ids.account(Role.QUEUE).gid();
        List<Layout.Entry> entries = new ArrayList<>(Layout.entries());
        for (String d : Daemons.logNames()) {
            entries.add(new Layout.Entry("log/" + d, Layout.Kind.DIR, 0750, Role.LOG, false, "log of " + d));
        }
        for (Layout.Entry e : entries) {
            make(e, ids, system, jqmailGid);
        }
        writeAtomically(Identities.file(home), ids.format(), 0644);
        if (system) {
            writeAtomically(home.users().resolve(Privileges.JAVA_FILE), Privileges.running() + "\n", 0644);
        }
        if (me != null) {
            writeAtomically(home.control().resolve("me"), me + "\n", 0644);
        }
        if (!Files.exists(home.control().resolve("tcp.smtp"))) {
            writeAtomically(home.control().resolve("tcp.smtp"), TCP_SMTP, 0644);
        }
        aliasMailbox(ids, system);
        serverCertificate(me != null ? me : home.controlFiles().me(), ids, system);
        writeLaunchers();
        if (system) {
            if (rootMail != null) {
                rootMail.writeAliases(home, aliasesFile());
            }
            newaliases();
            QmailCompat compat = new QmailCompat(home);
            if (qmailCompat || compat.ours()) {
                compat.make();
            }
        } else if (rootMail != null) {
            rootMail.writeDotQmail(home, home.controlFiles().me());
        }
        return ids;
    }

    /**
     * A system home's alias index compiled from the aliases file whenever
     * that exists, as newaliases does it; a malformed file is not setup's to
     * fail on: one line says where, and the old index stays.
     */
    private void newaliases() {
        Path file = aliasesFile();
        if (!Files.exists(file)) {
            return;
        }
        NewaliasesCommand.Compiled c = NewaliasesCommand.compile(file, home);
        for (String w : c.warnings()) {
            System.err.println("jqmail: warning: " + w);
        }
        if (c.error() != null) {
            System.err.println("jqmail: warning: " + c.error() + " (" + AliasIndex.path(home)
                + " left as it was)");
        } else {
            System.out.println("jqmail: " + c.summary());
        }
    }

    /** control/servercert.pem: the SMTP server's key and certificate (qmail-tls's file), the server's alone. */
    static final String SERVER_CERT = "servercert.pem";

    /**
     * A self-signed certificate for {@code me} (DESIGN §10: STARTTLS from
     * the start), with its key, in one file only the SMTP daemon's account
     * may read: made with openssl when missing, owner and mode set again
     * each run. An administrator's own file replaces it.
     */
    private void serverCertificate(String me, Identities ids, boolean system) throws IOException {
        Path pem = home.control().resolve("servercert.pem");   // SERVER_CERT
        if (!Files.exists(pem, LinkOption.NOFOLLOW_LINKS)) {
            // openssl's output, in a directory only root (or the home's owner) writes, then one file of both
            Path key = home.users().resolve(".servercert.key.tmp");
            Path cert = home.users().resolve(".servercert.crt.tmp");
            try {
                exec("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-days", "3650", "-subj", "/CN=" + me, "-addext", "subjectAltName=DNS:" + me,
                    "-keyout", key.toString(), "-out", cert.toString());
                Path tmp = home.control().resolve("." + SERVER_CERT + ".tmp");
                Files.deleteIfExists(tmp);
                Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
                Files.write(tmp, Files.readAllBytes(key), java.nio.file.StandardOpenOption.APPEND);
                Files.write(tmp, Files.readAllBytes(cert), java.nio.file.StandardOpenOption.APPEND);
                Files.move(tmp, pem, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                System.err.println("jqmail: no server certificate made (" + e.getMessage() + "); STARTTLS will not be"
                    + " offered until " + pem + " holds a key and certificate");
                return;
            } finally {
                Files.deleteIfExists(key);
                Files.deleteIfExists(cert);
            }
        }
        if (Files.isSymbolicLink(pem)) {
            return;   // the administrator's own key, kept where it lives: its owner and mode are theirs to set
        }
        Account smtpd = ids.account(Role.SMTPD);
        if (system) {
            check(posix.lchown(pem.toString(), smtpd.uid(), smtpd.gid()), "chown", pem);
        }
        check(posix.chmod(pem.toString(), 0600), "chmod", pem);
    }

    private void make(Layout.Entry e, Identities ids, boolean system, int jqmailGid) throws IOException {
        Path p = home.root().resolve(e.path()).normalize();
        if (e.kind() == Layout.Kind.DIR) {
            if (Files.isSymbolicLink(p)) {
                throw new IOException(p + " is a symbolic link; refusing to set it up");
            }
            Files.createDirectories(p);
        } else if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            if (posix.mkfifo(p.toString(), e.mode()) != 0) {
                throw new IOException("unable to make the FIFO " + p + ": errno " + posix.errno());
            }
        }
        FileStat st = posix.lstat(p.toString());
        if (e.kind() == Layout.Kind.FIFO && !st.isFifo()) {
            throw new IOException(p + " exists and is not a FIFO");
        }
        if (system) {
            int uid = e.owner() == null ? 0 : ids.uid(e.owner());
            int gid = e.owner() == null ? 0 : e.queueGroup() ? jqmailGid : ids.account(e.owner()).gid();
            check(posix.lchown(p.toString(), uid, gid), "chown", p);
        }
        check(posix.chmod(p.toString(), e.mode()), "chmod", p);
    }

    /**
     * The alias user's mailbox: postmaster, mailer-daemon and root deliver to
     * alias/Maildir until the administrator says otherwise in their .qmail files.
     */
    private void aliasMailbox(Identities ids, boolean system) throws IOException {
        Path maildir = home.alias().resolve("Maildir");
        for (String d : new String[] {"", "tmp", "new", "cur"}) {
            Path p = d.isEmpty() ? maildir : maildir.resolve(d);
            Files.createDirectories(p);
            if (system) {
                Identities.Account a = ids.account(Role.ALIAS);
                check(posix.lchown(p.toString(), a.uid(), a.gid()), "chown", p);
            }
            check(posix.chmod(p.toString(), 0700), "chmod", p);
        }
        for (String name : new String[] {"postmaster", "mailer-daemon", "root"}) {
            Path q = home.alias().resolve(".qmail-" + name);
            if (!Files.exists(q)) {
                writeAtomically(q, "./Maildir/\n", 0644);
            }
        }
    }

    private void check(int rc, String what, Path p) throws IOException {
        if (rc != 0) {
            throw new IOException("unable to " + what + " " + p + ": errno " + posix.errno());
        }
    }

    private Account currentAccount() {
        int uid = posix.geteuid();
        Passwd pw = posix.getpwuid(uid);
        return new Account(pw == null ? Integer.toString(uid) : pw.getLoginName(), uid, posix.getegid());
    }

    /**
     * Creates the group and users of DESIGN §2 where missing; returns their
     * ids. Names: those given, else those the home already records, else
     * the defaults.
     */
    private Identities systemAccounts() throws IOException {
        if (posix.geteuid() != 0) {
            throw new IOException("--system needs root");
        }
        Identities before = null;
        if (Files.exists(Identities.file(home))) {
            before = Identities.read(home);
            if (!before.isSystem()) {
                before = null;
            }
        }
        String queueGroup = group != null ? group : before != null ? groupName(before.account(Role.QUEUE).gid())
            : Identities.GROUP;
        if (posix.getgrnam(queueGroup) == null) {
            exec("groupadd", "--system", queueGroup);
            Created.record(home, "group", queueGroup);
        }
        Map<Role, Account> m = new EnumMap<>(Role.class);
        for (Role r : Role.values()) {
            String name = names.getOrDefault(r, before != null ? before.account(r).name() : r.defaultName());
            if (posix.getpwnam(name) == null) {
                exec(useradd(r, name, queueGroup));
                Created.record(home, "user", name);
            }
            Passwd pw = posix.getpwnam(name);
            if (pw == null) {
                throw new IOException("user " + name + " still missing after useradd");
            }
            m.put(r, new Account(name, (int) pw.getUID(), (int) pw.getGID()));
        }
        int gid = groupId(queueGroup);
        for (Role r : new Role[] {Role.QUEUE, Role.SEND, Role.REMOTE}) {
            if (m.get(r).gid() != gid) {
                throw new IOException("user " + m.get(r).name() + " exists with another primary group than "
                    + queueGroup + ": the queue's readers must share it");
            }
        }
        return new Identities(true, m);
    }

    private String groupName(int gid) throws IOException {
        var g = posix.getgrgid(gid);
        if (g == null) {
            throw new IOException("no group with gid " + gid + " (the queue's group of this home)");
        }
        return g.getName();
    }

    private String[] useradd(Role r, String name, String queueGroup) {
        String dir = switch (r) {
            case ALIAS -> home.alias().toString();
            case VMAIL -> home.vmail().toString();
            default -> home.root().toString();
        };
        List<String> cmd = new ArrayList<>(List.of("useradd", "--system", "--no-create-home",
            "--home-dir", dir, "--shell", "/usr/sbin/nologin"));
        // The queue's readers share group jqmail, as qmailq, qmails and qmailr share qmail;
        // the others get a group of their own, so none of them can read the queue.
        if (r == Role.QUEUE || r == Role.SEND || r == Role.REMOTE) {
            cmd.addAll(List.of("--gid", queueGroup));
        } else {
            cmd.add("--user-group");
        }
        if (r == Role.AUTH && posix.getgrnam("shadow") != null) {
            cmd.addAll(List.of("--groups", "shadow"));
        }
        cmd.add(name);
        return cmd.toArray(new String[0]);
    }

    private int groupId(String name) throws IOException {
        var g = posix.getgrnam(name);
        if (g == null) {
            throw new IOException("group " + name + " missing");
        }
        return (int) g.getGID();
    }

    static void exec(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    /** bin/PROGRAM for every program: runs it with this home, wherever the caller's JQMAIL_HOME points. */
    private void writeLaunchers() throws IOException {
        Path bin = dist.resolve("bin");
        if (!Files.isDirectory(bin)) {
            return;
        }
        try (var ds = Files.newDirectoryStream(bin)) {
            for (Path prog : ds) {
                String name = prog.getFileName().toString();
                String script = "#!/bin/sh\nJQMAIL_HOME=" + quote(home.root().toString()) + "\nexport JQMAIL_HOME\n"
                    + "exec " + quote(prog.toString()) + " \"$@\"\n";
                writeAtomically(home.bin().resolve(name), script, 0755);
            }
        }
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Writes through a temporary name and a rename: a reader sees the old file, or the whole new one. */
    static void writeAtomically(Path p, String content, int mode) throws IOException {
        Path tmp = p.resolveSibling("." + p.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(rwx(mode)));
        Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String rwx(int mode) {
        String s = "rwxrwxrwx";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            b.append((mode & (1 << (8 - i))) != 0 ? s.charAt(i) : '-');
        }
        return b.toString();
    }
}
