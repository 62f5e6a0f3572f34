package jqmail.local.deliver;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jqmail.common.Address;
import jqmail.common.EnvelopeWriter;
import jqmail.common.Home;
import jqmail.common.InjectException;
import jqmail.common.InjectResult;
import jqmail.common.Outcome;
import jqmail.common.QueueSubmission;
import jqmail.local.users.LocalUser;

/**
 * qmail-local: one delivery to one local address, by the account's .qmail
 * files. Lines run in order; the first failure stops the rest; forwards go
 * last, all in one injection, so a failure prevents forwarding.
 *
 * <pre>
 * #comment          ignored
 * |command          /bin/sh -c command in the home, the message on stdin; exit 0 ok,
 *                   99 ok and stop, 100 and 64 65 70 76 77 78 112 permanent, others temporary
 * /path/ ./path/    a Maildir                       (Return-Path and Delivered-To added)
 * /path ./path      an mbox                         (From line, >From quoting, locks)
 * &amp;address anything-else   a forward           (Delivered-To added)
 * </pre>
 *
 * A message that already has this recipient's Delivered-To line in its
 * header is a loop and bounces. Virtual users get no program lines: they
 * all share one uid.
 */
public final class LocalDelivery {
    /**
     * One delivery: who, to which address, from whom; {@code local} is the
     * recipient's local part. {@code lines}, when not null, are the .qmail
     * lines to follow instead of the account's files (an alias's targets).
     */
    public record Request(LocalUser user, String local, String domain, String sender, String defaultDelivery,
                          boolean virtualUser, List<String> lines) {
        public Request(LocalUser user, String local, String domain, String sender, String defaultDelivery,
                       boolean virtualUser) {
            this(user, local, domain, sender, defaultDelivery, virtualUser, null);
        }

        String recipient() {
            return local + "@" + domain;
        }

        /** Whether the account is a login of the system's (not a virtual user, not the alias user): it has a spool. */
        public boolean systemAccount(Home home) {
            return !virtualUser && !user.home().equals(home.alias());
        }

        /** The same delivery with these lines in place of the account's files. */
        public Request withLines(List<String> l) {
            return new Request(user, local, domain, sender, defaultDelivery, virtualUser, List.copyOf(l));
        }
    }

    /**
     * Who writes the system spool, /var/mail/USER (the line {@code spool}).
     * Its directory is Debian's 2775 root:mail, and only group {@code mail}
     * or root may make a file or a dotlock there; group mail can read every
     * spool file, and a process of the user's uid, even one holding an
     * extra group, can be traced by the user. So in a system home the
     * account's worker does not write it: at the spool line it asks
     * qmail-lspawn, over the same connection, to append the message as root
     * with checks on the open file ({@code DEFER}), and goes on with the
     * rest of the lines when that succeeded. A one-shot qmail-local and a
     * user-mode home's worker write it themselves ({@code DIRECT}).
     */
    public enum SpoolAccess { DIRECT, DEFER }

    /** In {@code DEFER} mode: the spawner's appending of the message to the account's spool file. */
    public interface SpoolStep {
        Outcome append() throws IOException;
    }

    /** The line that means the system spool, as control/defaultdelivery's value ("&amp;spool" forwards to a user spool). */
    public static final String SPOOL = "spool";
    /** Debian's mail spool. */
    static final Path SPOOL_DIR = Path.of("/var/mail");

    private static final Set<Integer> HARD_EXITS = Set.of(64, 65, 70, 76, 77, 78, 100, 112);

    private final Home home;
    private final Map<String, String> baseEnv;
    private final String qmailQueue;
    private final SpoolAccess spoolAccess;

    /** @param baseEnv the environment programs start from (qmail passes qmail-start's on) */
    public LocalDelivery(Home home, Map<String, String> baseEnv, SpoolAccess spoolAccess) {
        this.home = home;
        this.baseEnv = baseEnv;
        this.qmailQueue = baseEnv.get("QMAILQUEUE");
        this.spoolAccess = spoolAccess;
    }

    /** Delivers the message; never throws: trouble is a temporary failure. {@code spool}: see SpoolAccess. */
    public Outcome deliver(Request r, Spool message, SpoolStep spool) {
        try {
            return run(r, message, null, spool);
        } catch (IOException e) {
            return new Outcome.TempFailure(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /** qmail-local -n: what would be done, one line each ("maildir X", "mbox X", "program X", "forward X"). */
    public List<String> plan(Request r) throws IOException {
        List<String> out = new ArrayList<>();
        Outcome o = run(r, null, out, null);
        if (!(o instanceof Outcome.Delivered)) {
            out.add("failure: " + o.text());
        }
        return out;
    }

    private Outcome run(Request r, Spool message, List<String> plan, SpoolStep spool) throws IOException {
        Path h = r.user().home();
        if (!h.isAbsolute()) {
            return new Outcome.PermFailure("home directory is not absolute (#5.3.5)");
        }
        if (!Files.isDirectory(h)) {
            return new Outcome.TempFailure("Unable to switch to " + h + ": no such directory. (#4.3.0)");
        }
        Set<PosixFilePermission> hp = Files.getPosixFilePermissions(h);
        if (hp.contains(PosixFilePermission.OTHERS_WRITE)) {
            return new Outcome.TempFailure("Uh-oh: home directory is writable. (#4.7.0)");
        }
        DotQmail.Found found;
        List<String> lines;
        if (r.lines() != null) {
            found = new DotQmail.Found(null, null);
            lines = r.lines();
        } else {
            try {
                found = DotQmail.find(h, r.user().dash(), r.user().ext());
            } catch (DotQmail.NoMailbox e) {
                return new Outcome.PermFailure(e.getMessage());
            }
            lines = found.file() != null ? DotQmail.lines(found.file()) : defaultLines(r);
        }
        boolean forwardOnly = DotQmail.forwardOnly(found.file());
        String dtLine = dtLine(r);
        if (message != null && hasLine(message, dtLine)) {
            return new Outcome.PermFailure("This message is looping: it already has my Delivered-To line. (#5.4.6)");
        }
        String rpLine = rpLine(r);
        byte[] header = mailboxHeader(r);
        List<Address> forwards = new ArrayList<>();
        int files = 0;
        int programs = 0;
        Path stored = null;   // the first Maildir file: later Maildir lines get the same bytes, linked
        for (String line : lines) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            char c = line.charAt(0);
            if (c == '|') {
                if (forwardOnly || r.virtualUser()) {
                    return forwardOnly ? new Outcome.TempFailure("Uh-oh: .qmail has prog delivery but is forward-only. (#4.7.0)")
                        : new Outcome.PermFailure("Program deliveries are not available to virtual users. (#5.7.1)");
                }
                if (plan != null) {
                    plan.add("program " + line.substring(1));
                    continue;
                }
                Outcome o = program(line.substring(1), r, found, message, dtLine, rpLine);
                if (!(o instanceof Outcome.Delivered)) {
                    return o;
                }
                programs++;
                if (o.text().equals("99")) {
                    break;
                }
            } else if (line.equals(SPOOL) || line.equals(SPOOL_DIR.resolve(r.user().user()).toString())) {
                if (forwardOnly) {
                    return new Outcome.TempFailure("Uh-oh: .qmail has file delivery but is forward-only. (#4.7.0)");
                }
                if (!r.systemAccount(home)) {
                    return new Outcome.PermFailure("The mail spool is for system accounts only. (#5.7.1)");
                }
                if (plan != null) {
                    plan.add("mbox " + spoolFile(r));
                    continue;
                }
                if (spoolAccess == SpoolAccess.DEFER) {
                    Outcome o = spool.append();
                    if (!(o instanceof Outcome.Delivered)) {
                        return o;
                    }
                } else {
                    try (InputStream in = message.open()) {
                        Mbox.deliverSpool(spoolFile(r), r.user().uid(), fromLine(r.sender()), header, in);
                    }
                }
                files++;
            } else if (c == '/' || c == '.') {
                if (forwardOnly) {
                    return new Outcome.TempFailure("Uh-oh: .qmail has file delivery but is forward-only. (#4.7.0)");
                }
                Path target = line.startsWith("/") ? Path.of(line) : h.resolve(line).normalize();
                boolean maildir = line.endsWith("/");
                if (plan != null) {
                    plan.add((maildir ? "maildir " : "mbox ") + target);
                    continue;
                }
                if (maildir && stored != null && Maildir.share(target, stored)) {
                    files++;
                    continue;
                }
                try (InputStream in = message.open()) {
                    if (maildir) {
                        stored = Maildir.deliver(target, header, in);
                    } else {
                        Mbox.deliver(target, fromLine(r.sender()), header, in);
                    }
                }
                files++;
            } else {
                String a = c == '&' ? line.substring(1) : line;
                try {
                    forwards.add(new Address(a.strip()));
                } catch (IllegalArgumentException e) {
                    return new Outcome.PermFailure("Unable to forward to a bad address in .qmail. (#5.1.3)");
                }
                if (plan != null) {
                    plan.add("forward " + a.strip());
                }
            }
        }
        if (!forwards.isEmpty() && plan == null) {
            Outcome o = forward(forwards, newSender(r, found), dtLine, message);
            if (!(o instanceof Outcome.Delivered)) {
                return o;
            }
        }
        return new Outcome.Delivered("did " + files + "+" + forwards.size() + "+" + programs + "/");
    }

    /**
     * With no .qmail for the address: the account's {@code ~/.forward} for
     * its own address (dot-forward's rule: .qmail first), else
     * {@code defaultdelivery}. The system spool is a system account's:
     * virtual users and the alias user get {@code ./Maildir/} instead.
     */
    private List<String> defaultLines(Request r) throws IOException {
        boolean systemAccount = r.systemAccount(home);
        String dflt = r.defaultDelivery().equals(SPOOL) && !systemAccount ? "./Maildir/" : r.defaultDelivery();
        if (systemAccount && r.user().dash().isEmpty() && runsAs(r.user())) {
            List<String> forward = DotForward.lines(r.user().home(), r.user().uid(),
                new java.util.HashSet<>(List.of(r.local().toLowerCase(Locale.ROOT),
                    r.user().user().toLowerCase(Locale.ROOT))), r.domain(), dflt);
            if (forward != null) {
                return forward;
            }
        }
        return List.of(dflt);
    }

    /** This process's uid: a ~/.forward's programs run only as the account whose file it is. */
    private static final long MY_UID = new com.sun.security.auth.module.UnixSystem().getUid();

    /**
     * Whether this process is the account (or the account is unknown: qmail's
     * one-shot interface names none). A user-mode home runs every delivery
     * as its owner: there, another account's ~/.forward is not followed,
     * as its programs would run as the owner, not as the account.
     */
    private static boolean runsAs(LocalUser u) {
        return u.uid() == -1 || u.uid() == MY_UID;
    }

    /** What a mailbox delivery puts before the message: Return-Path and this recipient's Delivered-To. */
    public static byte[] mailboxHeader(Request r) {
        return (rpLine(r) + dtLine(r)).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String rpLine(Request r) {
        return "Return-Path: <" + clean(r.sender()) + ">\n";
    }

    private static String dtLine(Request r) {
        return "Delivered-To: " + clean(r.recipient()) + "\n";
    }

    /** The account's file in the system spool; a name that is not a plain file name has none. */
    public static Path spoolFile(Request r) throws IOException {
        String name = r.user().user();
        if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
            throw new IOException("Account name " + name + " cannot name a spool file. (#4.3.5)");
        }
        return SPOOL_DIR.resolve(name);
    }

    /** qmail's list-owner rule: a .qmail-NAME-owner file makes NAME-owner@domain the new sender. */
    static String newSender(Request r, DotQmail.Found found) {
        String s = r.sender();
        if (found.file() == null || s.isEmpty() || s.equals("#@[]")) {
            return s;
        }
        Path owner = found.file().resolveSibling(found.file().getFileName() + "-owner");
        if (!Files.exists(owner)) {
            return s;
        }
        if (Files.exists(found.file().resolveSibling(found.file().getFileName() + "-owner-default"))) {
            return r.local() + "-owner-@" + r.domain() + "-@[]";
        }
        return r.local() + "-owner@" + r.domain();
    }

    private Outcome forward(List<Address> to, String sender, String dtLine, Spool message) {
        try (QueueSubmission q = QueueSubmission.open(home, qmailQueue)) {
            OutputStream out = q.message();
            out.write(dtLine.getBytes(StandardCharsets.ISO_8859_1));
            try (InputStream in = message.open()) {
                in.transferTo(out);
            }
            q.envelope(new EnvelopeWriter().sender(new Address(sender)).recipients(to).end().toByteArray());
            InjectResult r = q.commit();
            if (r.ok()) {
                return new Outcome.Delivered("forwarded");
            }
            return r.permanent() ? new Outcome.PermFailure("Unable to forward message: " + r.text())
                : new Outcome.TempFailure("Unable to forward message: " + r.text());
        } catch (InjectException e) {
            return new Outcome.TempFailure("Unable to forward message: " + e.result().text());
        } catch (IOException e) {
            return new Outcome.TempFailure("Unable to forward message: " + e.getMessage());
        }
    }

    private Outcome program(String command, Request r, DotQmail.Found found, Spool message, String dtLine,
                            String rpLine) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).directory(r.user().home().toFile())
            .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(baseEnv);
        env.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
        environment(env, r, found, dtLine, rpLine);
        Process p = pb.start();
        Thread feeder = new Thread(() -> {
            try (OutputStream o = p.getOutputStream(); InputStream in = message.open()) {
                in.transferTo(o);
            } catch (IOException e) {
                // The program did not read all of it: its exit code decides.
            }
        }, "program-stdin");
        feeder.setDaemon(true);
        feeder.start();
        String output = head(p.getInputStream(), 1000);
        try {
            if (!p.waitFor(1, TimeUnit.DAYS)) {
                p.destroyForcibly();
                return new Outcome.TempFailure("Program timed out. (#4.3.0)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return new Outcome.TempFailure("Interrupted while the program ran. (#4.3.0)");
        }
        int code = p.exitValue();
        if (code == 0) {
            return new Outcome.Delivered("0");
        }
        if (code == 99) {
            return new Outcome.Delivered("99");
        }
        String text = output.isEmpty() ? "Program exited with status " + code + "." : output.strip();
        return HARD_EXITS.contains(code) ? new Outcome.PermFailure(text) : new Outcome.TempFailure(text);
    }

    /** qmail-command(8)'s variables. Their values come from strangers: programs must not trust them. */
    static void environment(Map<String, String> env, Request r, DotQmail.Found found, String dtLine, String rpLine) {
        LocalUser u = r.user();
        env.put("SENDER", r.sender());
        env.put("NEWSENDER", newSender(r, found));
        env.put("RECIPIENT", r.recipient());
        env.put("USER", u.user());
        env.put("HOME", u.home().toString());
        env.put("LOCAL", r.local());
        env.put("HOST", r.domain());
        for (int k = 2; k <= 4; k++) {
            env.put("HOST" + k, chopDots(r.domain(), k - 1));
            env.put("EXT" + k, afterDashes(u.ext(), k - 1));
        }
        env.put("EXT", u.ext());
        if (found.defaultPart() != null) {
            env.put("DEFAULT", found.defaultPart());
        }
        env.put("DTLINE", dtLine);
        env.put("RPLINE", rpLine);
        env.put("UFLINE", fromLine(r.sender()) + "\n");
    }

    /** HOST2: HOST without its last dot-component; HOST3 without two; HOST4 without three. */
    static String chopDots(String host, int n) {
        String h = host;
        for (int i = 0; i < n; i++) {
            int dot = h.lastIndexOf('.');
            if (dot < 0) {
                return h;
            }
            h = h.substring(0, dot);
        }
        return h;
    }

    /** EXT2: what follows EXT's first dash; EXT3 its second; EXT4 its third. */
    static String afterDashes(String ext, int n) {
        String e = ext;
        for (int i = 0; i < n; i++) {
            int dash = e.indexOf('-');
            if (dash < 0) {
                return "";
            }
            e = e.substring(dash + 1);
        }
        return e;
    }

    /** The mbox "From " line: sender (or MAILER-DAEMON) and the time in asctime form, UTC. */
    public static String fromLine(String sender) {
        LocalDateTime t = LocalDateTime.now(ZoneOffset.UTC);
        String[] days = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
        String[] months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        return String.format(Locale.ROOT, "From %s %s %s %2d %02d:%02d:%02d %d",
            sender.isEmpty() ? "MAILER-DAEMON" : clean(sender), days[t.getDayOfWeek().getValue() - 1],
            months[t.getMonthValue() - 1], t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(), t.getYear());
    }

    /** Header values never carry a line break: an envelope address cannot hold one anyway. */
    private static String clean(String s) {
        return s.replace('\n', '_').replace('\r', '_');
    }

    /** Whether the message's header (up to its first empty line) holds exactly this line. */
    static boolean hasLine(Spool message, String line) throws IOException {
        String want = line.substring(0, line.length() - 1);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(message.open(), StandardCharsets.ISO_8859_1))) {
            for (String l; (l = r.readLine()) != null && !l.isEmpty(); ) {
                if (l.equalsIgnoreCase(want)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String head(InputStream in, int max) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) > 0; ) {
            if (b.size() < max) {
                b.write(buf, 0, Math.min(n, max - b.size()));
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
