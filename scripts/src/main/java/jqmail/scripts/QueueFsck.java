package jqmail.scripts;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import jnr.posix.FileStat;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jqmail.common.Home;
import jqmail.common.Identities;
import jqmail.common.Identities.Role;
import jqmail.common.QueueId;
import jqmail.queue.CorruptQueueFileException;
import jqmail.queue.Queue;
import jqmail.queue.QueueFile;

/**
 * {@code jqmail queue fsck}: checks the queue against its own rules with
 * the scheduler stopped, and with {@code repair} puts right what it finds.
 * Four passes, each relying on the one before: the directories of
 * {@link Layout} (a missing one is made, owners and modes reset), the
 * scratch files in {@code tmp/}, the messages in {@code todo/} and
 * {@code mess/}, then the scheduler's state, judged against the messages
 * found. A message that could still be delivered is never removed: what
 * cannot be delivered, or is not the queue's, is moved to {@code queue/bad/}.
 */
final class QueueFsck {
    /** Longer than an injection may last (the queue daemon cuts one off after 24 hours). */
    static final Duration STALE_TMP = Duration.ofHours(36);
    /** What the queue daemon creates (docs/SECURITY.md): its group reads, nobody else. */
    static final int MESSAGE_MODE = 0640;
    static final String QUARANTINE = "queue/bad";

    /**
     * One problem: what it concerns (a path in the home), what is wrong,
     * what a repair does, and, after one, what it did or why it failed.
     */
    record Finding(String subject, String problem, String action, String done, String error) {
        boolean repaired() {
            return done != null;
        }
    }

    /** Everything one run found; incomplete when something could not be checked. */
    record Report(List<Finding> findings, boolean complete) {
        int exitCode() {
            if (!complete) {
                return JqmailMain.TROUBLE;
            }
            return findings.stream().allMatch(Finding::repaired) ? JqmailMain.OK : JqmailMain.PROBLEMS;
        }
    }

    /** A repair; returns what it did, in the past tense. */
    interface Fix {
        String run() throws IOException;
    }

    /** The owner, group (-1: any) and mode (-1: any) an entry must have. */
    record Want(int uid, int gid, int mode) {
    }

    /** A directory entry found by a pass. */
    record Loc(OpenDir dir, String name, FileStat stat) {
        String shown() {
            return dir.child(name);
        }
    }

    private final POSIX posix = POSIXFactory.getNativePOSIX();
    private final Home home;
    private final Identities ids;
    private final boolean repair;
    private final Instant now;
    private final List<Finding> findings = new ArrayList<>();
    private final Map<String, OpenDir> dirs = new HashMap<>();
    private boolean complete = true;
    private int queueGid = -1;

    QueueFsck(Home home, Identities ids, boolean repair, Instant now) {
        this.home = home;
        this.ids = ids;
        this.repair = repair;
        this.now = now;
    }

    /** @throws IOException when the home itself cannot be opened: nothing was checked */
    Report run() throws IOException {
        if (ids.isSystem()) {
            queueGid = ids.account(Identities.Role.QUEUE).gid();   // the queue's readers share the queue daemon's group
        }
        dirs.put("", OpenDir.open(posix, home.root(), ""));
        try {
            layout();
            tmp();
            new StateCheck(this).run(messages());
        } finally {
            for (OpenDir d : dirs.values()) {
                if (d != null) {
                    d.close();
                }
            }
        }
        return new Report(List.copyOf(findings), complete);
    }

    // ---- the directories ---------------------------------------------------------------------

    /** Every directory and the FIFO of the queue, as Layout says; then what does not belong in them. */
    private void layout() {
        for (Layout.Entry e : queueEntries()) {
            int slash = e.path().lastIndexOf('/');
            String name = e.path().substring(slash + 1);
            OpenDir parent = dir(slash < 0 ? "" : e.path().substring(0, slash));
            if (parent == null) {
                continue;   // said when the parent was checked
            }
            Want want = want(e.owner(), e.queueGroup(), e.mode());
            try {
                FileStat st = parent.lstat(name);
                if (st == null) {
                    report(e.path(), "missing", "create it", () -> create(parent, name, e.kind(), want));
                } else if (e.kind() == Layout.Kind.DIR ? !st.isDirectory() : !st.isFifo()) {
                    report(e.path(), "a " + kind(st) + ", not a " + (e.kind() == Layout.Kind.DIR ? "directory" : "FIFO"),
                        null, null);
                } else {
                    attributes(new Loc(parent, name, st), want);
                }
            } catch (IOException x) {
                unable(e.path(), x);
            }
        }
        for (String d : new String[] {"queue", "queue/lock", "queue/mess", "queue/info", "queue/local",
            "queue/remote"}) {
            strays(d);
        }
    }

    private static List<Layout.Entry> queueEntries() {
        List<Layout.Entry> out = new ArrayList<>();
        for (Layout.Entry e : Layout.entries()) {
            if (e.path().equals("queue") || e.path().startsWith("queue/")) {
                out.add(e);
            }
        }
        return out;
    }

    /** Entries of a directory that the layout does not name (qmail's queue has none either). */
    private void strays(String rel) {
        OpenDir d = dir(rel);
        if (d == null) {
            return;
        }
        Set<String> known = new LinkedHashSet<>();
        for (Layout.Entry e : queueEntries()) {
            if (e.path().startsWith(rel + "/") && e.path().indexOf('/', rel.length() + 1) < 0) {
                known.add(e.path().substring(rel.length() + 1));
            }
        }
        try {
            for (String n : d.names()) {
                if (!known.contains(n)) {
                    stray(d, n, "not part of the queue");
                }
            }
        } catch (IOException x) {
            unable(rel, x);
        }
    }

    private String create(OpenDir parent, String name, Layout.Kind kind, Want want) throws IOException {
        if (kind == Layout.Kind.DIR) {
            parent.mkdir(name, want.mode());
        } else {
            parent.mkfifo(name, want.mode());
        }
        parent.setAttributes(name, want.uid(), want.gid(), want.mode());
        return "created, mode " + octal(want.mode());
    }

    /** Reports and repairs an entry's owner, group and mode. */
    void attributes(Loc l, Want want) {
        FileStat st = l.stat();
        boolean owner = st.uid() != want.uid() || want.gid() >= 0 && st.gid() != want.gid();
        int mode = st.mode() & 07777;
        boolean modeWrong = want.mode() >= 0 && mode != want.mode();
        List<String> wrong = new ArrayList<>();
        if (owner) {
            wrong.add("owner " + st.uid() + ":" + st.gid() + ", not " + want.uid()
                + (want.gid() >= 0 ? ":" + want.gid() : ""));
        }
        if (modeWrong) {
            wrong.add("mode " + octal(mode) + ", not " + octal(want.mode()));
        }
        if (wrong.isEmpty()) {
            return;
        }
        int newMode = modeWrong ? want.mode() : mode;
        String action = (owner ? "chown" : "") + (owner && modeWrong ? ", " : "") + (modeWrong ? "chmod" : "");
        report(l.shown(), String.join(", ", wrong), action, () -> {
            l.dir().setAttributes(l.name(), owner ? want.uid() : -1, owner ? want.gid() : -1, newMode);
            return action.replace("chown", "owner set").replace("chmod", "mode set");
        });
    }

    /** What Layout asks of an entry: in a user-mode home every owner is the home's owner, and groups are free. */
    Want want(Role owner, boolean queueGroup, int mode) {
        if (!ids.isSystem()) {
            return new Want(ids.uid(Role.QUEUE), -1, mode);
        }
        if (owner == null) {
            return new Want(0, 0, mode);
        }
        return new Want(ids.uid(owner), queueGroup ? queueGid : ids.account(owner).gid(), mode);
    }

    // ---- tmp/ --------------------------------------------------------------------------------

    /**
     * Injections cut off: the queue daemon removes them at its start, but
     * one that never restarts keeps them. Young files are left alone: the
     * daemon may be running and writing them. Kept files ({@code free.*})
     * are the daemon's to empty at its start.
     */
    private void tmp() {
        for (Loc l : files("queue/tmp")) {
            long age = now.getEpochSecond() - l.stat().mtime();
            if (age > STALE_TMP.toSeconds()) {
                report(l.shown(), "left by an injection cut off " + age / 3600 + " hours ago", "remove",
                    () -> unlink(l));
            }
        }
    }

    // ---- todo/ and mess/ ---------------------------------------------------------------------

    /** Every message found, and whether it is intact (false: damaged, moved aside by a repair). */
    private Map<QueueId, Boolean> messages() {
        Map<QueueId, List<Loc>> found = new TreeMap<>();
        for (Loc l : files("queue/todo")) {
            found.computeIfAbsent(QueueId.parse(l.name()), k -> new ArrayList<>()).add(l);
        }
        for (int s = 0; s < QueueId.SPLIT; s++) {
            for (Loc l : files("queue/mess/" + s)) {
                found.computeIfAbsent(QueueId.parse(l.name()), k -> new ArrayList<>()).add(l);
            }
        }
        Map<QueueId, Boolean> intact = new HashMap<>();
        for (Map.Entry<QueueId, List<Loc>> e : found.entrySet()) {
            intact.put(e.getKey(), message(e.getKey(), e.getValue()));
        }
        return intact;
    }

    /**
     * One message's file (or files: a copy left by hand, or by a rename a
     * crash undid). The copy kept is an intact one, in mess/ before todo/;
     * then it must be in its split directory and have the queue's owner and
     * mode.
     */
    private boolean message(QueueId id, List<Loc> copies) {
        Map<Loc, String> damage = new java.util.IdentityHashMap<>();
        for (Loc l : copies) {
            damage.put(l, damage(l));
        }
        String home = "queue/mess/" + id.split();
        copies.sort(java.util.Comparator.comparing((Loc l) -> damage.get(l) != null)
            .thenComparingInt(l -> l.dir().shown().equals(home) ? 0 : l.dir().shown().equals("queue/todo") ? 1 : 2));
        Loc first = copies.get(0);
        for (Loc other : copies.subList(1, copies.size())) {
            report(other.shown(), "a second copy of message " + id + " (" + first.shown() + " is kept)",
                "move to " + QUARANTINE + "/", () -> quarantine(other));
        }
        if (damage.get(first) != null) {
            report(first.shown(), "damaged: " + damage.get(first), "move to " + QUARANTINE + "/",
                () -> quarantine(first));
            return false;
        }
        Loc keep = first;
        if (!keep.dir().shown().equals(home) && !keep.dir().shown().equals("queue/todo")) {
            Loc from = keep;
            OpenDir to = dir(home);
            boolean moved = report(from.shown(), "in the wrong split directory (" + id + " mod " + QueueId.SPLIT
                + " is " + id.split() + ")", "move to " + home + "/", () -> {
                    if (to == null) {
                        throw new IOException(home + " is unusable");
                    }
                    from.dir().rename(from.name(), to, from.name());
                    return "moved to " + home + "/";
                });
            if (moved) {
                keep = new Loc(to, from.name(), from.stat());
            }
        }
        attributes(keep, want(Role.QUEUE, true, MESSAGE_MODE));
        return true;
    }

    /** Why a message file does not read as one (QueueFile's checks), or null; unreadable is not damaged. */
    private String damage(Loc l) {
        try (FileChannel ch = l.dir().read(l.name())) {
            QueueFile.readEnvelope(ch, true);
            return null;
        } catch (CorruptQueueFileException x) {
            return x.getMessage();
        } catch (IOException x) {
            unable(l.shown(), x);
            return null;
        }
    }

    // ---- shared by the passes ----------------------------------------------------------------

    /**
     * The regular files named by a queue id in a directory of the queue; any
     * other entry there is reported and, by a repair, moved aside.
     */
    List<Loc> files(String rel) {
        List<Loc> out = new ArrayList<>();
        OpenDir d = dir(rel);
        if (d == null) {
            return out;
        }
        try {
            for (String n : d.names()) {
                FileStat st = d.lstat(n);
                if (st == null) {
                    continue;   // gone meanwhile: committed from tmp/ by a running queue daemon
                }
                if (rel.equals("queue/tmp") && n.startsWith(Queue.KEPT_PREFIX)) {
                    continue;   // a finished message's file the daemon keeps for a new one
                }
                if (QueueId.parse(n) == null && !StateCheck.isInfoScratch(rel, n)) {
                    stray(d, n, "not a queue id");
                } else if (!st.isFile()) {
                    stray(d, n, "a " + kind(st) + ", not a regular file");
                } else {
                    out.add(new Loc(d, n, st));
                }
            }
        } catch (IOException x) {
            unable(rel, x);
        }
        return out;
    }

    /** A directory of the home, opened once; null when it is missing or is not a directory (reported by layout). */
    OpenDir dir(String rel) {
        if (dirs.containsKey(rel)) {
            return dirs.get(rel);
        }
        int slash = rel.lastIndexOf('/');
        OpenDir parent = dir(slash < 0 ? "" : rel.substring(0, slash));
        OpenDir d = null;
        if (parent != null) {
            String name = rel.substring(slash + 1);
            try {
                FileStat st = parent.lstat(name);
                if (st != null && st.isDirectory()) {
                    d = parent.sub(name);
                }
            } catch (IOException x) {
                unable(rel, x);
            }
        }
        dirs.put(rel, d);
        return d;
    }

    void stray(OpenDir d, String name, String why) {
        Loc l = new Loc(d, name, null);
        report(l.shown(), why, "move to " + QUARANTINE + "/", () -> quarantine(l));
    }

    /** Moves an entry to queue/bad/, named after where it was (mess/5/ID becomes mess.5.ID). */
    String quarantine(Loc l) throws IOException {
        OpenDir bad = dir(QUARANTINE);
        if (bad == null) {
            throw new IOException(QUARANTINE + " is missing");
        }
        String base = l.shown().substring("queue/".length()).replace('/', '.');
        String name = base;
        for (int i = 1; bad.lstat(name) != null; i++) {
            name = base + "." + i;
        }
        l.dir().rename(l.name(), bad, name);
        return "moved to " + QUARANTINE + "/" + name;
    }

    String unlink(Loc l) throws IOException {
        l.dir().unlink(l.name());
        return "removed";
    }

    /**
     * Records a problem and, when repairing, runs its fix (none: it needs a
     * person). Returns true when the problem is now repaired.
     */
    boolean report(String subject, String problem, String action, Fix fix) {
        String done = null;
        String error = null;
        if (repair && fix != null) {
            try {
                done = fix.run();
            } catch (IOException | RuntimeException x) {
                error = x.getMessage() == null ? x.toString() : x.getMessage();
            }
        }
        findings.add(new Finding(subject, problem, action, done, error));
        return done != null;
    }

    /** Something could not be checked: the report is incomplete, and says so. */
    void unable(String subject, IOException x) {
        complete = false;
        findings.add(new Finding(subject, "unable to check: " + x.getMessage(), null, null, null));
    }

    boolean repairing() {
        return repair;
    }

    static String octal(int mode) {
        return String.format("%04o", mode);
    }

    static String kind(FileStat st) {
        return st.isSymlink() ? "symbolic link" : st.isDirectory() ? "directory" : st.isFifo() ? "FIFO"
            : st.isFile() ? "regular file" : st.isSocket() ? "socket" : "special file";
    }
}
