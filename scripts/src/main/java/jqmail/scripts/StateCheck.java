package jqmail.scripts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jqmail.common.Identities.Role;
import jqmail.common.QueueId;
import jqmail.send.StateFormat;

/**
 * The last pass of {@link QueueFsck}: the scheduler's files
 * ({@code info/ local/ remote/ bounce/ hold/}), judged against the messages
 * the pass before found. The rules are the scheduler's own (send/Scheduler
 * and StateFiles): the message file's envelope is the authority, a message
 * without {@code info/ID} is rebuilt from it with every recipient due, and
 * the scheduler discards a message's state whole when any of it is unusable.
 * So fsck removes state, never a message: the worst a removal costs is a
 * recipient delivered twice, never one lost. Removing a channel file alone
 * would lose mail (a missing {@code local/ID} beside {@code info/ID} means
 * "every local recipient done"); that is why a damaged file takes the rest of
 * its message's state with it.
 */
final class StateCheck {
    /** A state file's place; {@code hold/} is the administrator's and survives a rebuild. */
    enum Slot {
        INFO("info", true, StateFormat.INFO),
        LOCAL("local", true, StateFormat.CHANNEL),
        REMOTE("remote", true, StateFormat.CHANNEL),
        BOUNCE("bounce", false, StateFormat.BOUNCE),
        HOLD("hold", false, null);

        final String dir;
        final boolean split;
        final StateFormat format;

        Slot(String dir, boolean split, StateFormat format) {
            this.dir = dir;
            this.split = split;
            this.format = format;
        }

        String dirOf(QueueId id) {
            return "queue/" + dir + (split ? "/" + id.split() : "");
        }
    }

    /** One message's state files: each in its place, and any found in a wrong split directory. */
    private static final class StateOf {
        final Map<Slot, QueueFsck.Loc> at = new EnumMap<>(Slot.class);
        final List<Map.Entry<Slot, QueueFsck.Loc>> misplaced = new ArrayList<>();

        List<QueueFsck.Loc> all() {
            List<QueueFsck.Loc> out = new ArrayList<>(at.values());
            misplaced.forEach(e -> out.add(e.getValue()));
            return out;
        }
    }

    /** No state file of the scheduler's comes near this; a bigger one is not read whole. */
    private static final int MAX_BYTES = 64 << 20;

    private final QueueFsck fsck;
    private final Map<QueueId, StateOf> found = new TreeMap<>();

    StateCheck(QueueFsck fsck) {
        this.fsck = fsck;
    }

    /** {@code info/N/ID.tmp}: the scheduler writes info/ID through it, and nothing ever reads it. */
    static boolean isInfoScratch(String rel, String name) {
        return rel.startsWith("queue/info/") && name.endsWith(".tmp")
            && QueueId.parse(name.substring(0, name.length() - 4)) != null;
    }

    /** @param messages every message found, true when intact */
    void run(Map<QueueId, Boolean> messages) {
        gather();
        for (Map.Entry<QueueId, StateOf> e : found.entrySet()) {
            Boolean intact = messages.get(e.getKey());
            if (intact == null) {
                for (QueueFsck.Loc l : e.getValue().all()) {
                    fsck.report(l.shown(), "state of a message that is not in the queue", "remove",
                        () -> fsck.unlink(l));
                }
            } else if (!intact) {
                for (QueueFsck.Loc l : e.getValue().all()) {
                    fsck.report(l.shown(), "state of a damaged message", "move to " + QueueFsck.QUARANTINE + "/",
                        () -> fsck.quarantine(l));
                }
            } else {
                check(e.getKey(), e.getValue());
            }
        }
    }

    private void gather() {
        for (Slot s : Slot.values()) {
            if (!s.split) {
                gather(s, "queue/" + s.dir, -1);
                continue;
            }
            for (int n = 0; n < QueueId.SPLIT; n++) {
                gather(s, "queue/" + s.dir + "/" + n, n);
            }
        }
    }

    private void gather(Slot s, String rel, int split) {
        for (QueueFsck.Loc l : fsck.files(rel)) {
            if (isInfoScratch(rel, l.name())) {
                fsck.report(l.shown(), "unfinished (qmail-send stopped while writing it); nothing reads it",
                    "remove", () -> fsck.unlink(l));
                continue;
            }
            QueueId id = QueueId.parse(l.name());
            StateOf f = found.computeIfAbsent(id, k -> new StateOf());
            if (split < 0 || id.split() == split) {
                f.at.put(s, l);
            } else {
                f.misplaced.add(Map.entry(s, l));
            }
        }
    }

    /** An intact message's state: in place, sound, whole, and the scheduler's. */
    private void check(QueueId id, StateOf f) {
        for (Map.Entry<Slot, QueueFsck.Loc> m : f.misplaced) {
            misplaced(id, f, m.getKey(), m.getValue());
        }
        if (damaged(f)) {
            return;
        }
        if (!f.at.containsKey(Slot.INFO)) {
            for (Slot s : new Slot[] {Slot.LOCAL, Slot.REMOTE, Slot.BOUNCE}) {
                QueueFsck.Loc l = f.at.remove(s);
                if (l != null) {
                    fsck.report(l.shown(), "state without " + Slot.INFO.dirOf(id) + "/" + id
                        + " (a write cut off); qmail-send would discard it", "remove", () -> fsck.unlink(l));
                }
            }
        }
        QueueFsck.Want want = fsck.want(Role.SEND, true, -1);
        for (QueueFsck.Loc l : f.at.values()) {
            fsck.attributes(l, want);
        }
    }

    /** Reports the first damaged file; a repair discards the message's state with it. */
    private boolean damaged(StateOf f) {
        for (Map.Entry<Slot, QueueFsck.Loc> m : f.at.entrySet()) {
            Slot s = m.getKey();
            QueueFsck.Loc l = m.getValue();
            if (s.format == null) {
                continue;
            }
            String problem;
            try {
                problem = s.format.problem(read(l));
            } catch (IOException x) {
                fsck.unable(l.shown(), x);
                continue;
            }
            if (problem != null) {
                fsck.report(l.shown(), "damaged: " + problem, "remove the message's state (its recipients are tried "
                    + "again)", () -> discard(f));
                return true;
            }
        }
        return false;
    }

    /**
     * A state file the scheduler will never look at: moved where it looks,
     * unless a file is there already, which is then the one that counts.
     */
    private void misplaced(QueueId id, StateOf f, Slot s, QueueFsck.Loc l) {
        String where = s.dirOf(id);
        String problem = "in the wrong split directory (" + id + " mod " + QueueId.SPLIT + " is " + id.split() + ")";
        if (f.at.containsKey(s)) {
            fsck.report(l.shown(), problem + "; " + where + "/" + id + " exists", "remove", () -> fsck.unlink(l));
            return;
        }
        OpenDir to = fsck.dir(where);
        boolean moved = fsck.report(l.shown(), problem, "move to " + where + "/", () -> {
            if (to == null) {
                throw new IOException(where + " is unusable");
            }
            l.dir().rename(l.name(), to, l.name());
            return "moved to " + where + "/";
        });
        if (moved) {
            f.at.put(s, new QueueFsck.Loc(to, l.name(), l.stat()));
        } else if (!fsck.repairing()) {
            f.at.put(s, l);   // as the repair would leave it, so that what follows reports the same
        }
    }

    /** The scheduler's own reaction to damaged state (StateFiles.load): all of it goes, except a hold. */
    private String discard(StateOf f) throws IOException {
        List<String> gone = new ArrayList<>();
        for (Slot s : new Slot[] {Slot.INFO, Slot.LOCAL, Slot.REMOTE, Slot.BOUNCE}) {
            QueueFsck.Loc l = f.at.get(s);
            if (l != null && l.dir().lstat(l.name()) != null) {
                fsck.unlink(l);
                gone.add(l.shown());
            }
        }
        return gone.isEmpty() ? "already removed with the rest" : "removed " + String.join(", ", gone);
    }

    private static byte[] read(QueueFsck.Loc l) throws IOException {
        try (FileChannel ch = l.dir().read(l.name())) {
            long size = ch.size();
            if (size > MAX_BYTES) {
                throw new IOException("larger than " + MAX_BYTES + " bytes");
            }
            ByteBuffer b = ByteBuffer.allocate((int) size);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // until full or at its end
            }
            return b.flip().remaining() == b.capacity() ? b.array() : java.util.Arrays.copyOf(b.array(), b.limit());
        }
    }
}
