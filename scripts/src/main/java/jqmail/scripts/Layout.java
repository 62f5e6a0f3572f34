package jqmail.scripts;

import java.util.ArrayList;
import java.util.List;
import jqmail.common.Identities.Role;
import jqmail.common.QueueId;

/**
 * Every directory and special file of a home, with its owner and mode in a
 * system home: the trust partition of DESIGN §2 on disk. docs/SECURITY.md
 * shows the same table; a test keeps the two equal. In a user-mode home
 * everything belongs to the home's owner, with the same modes.
 */
final class Layout {
    enum Kind { DIR, FIFO }

    /**
     * One entry.
     *
     * @param owner the role that owns it, or null for root
     * @param queueGroup true when its group is {@code jqmail} (the queue's readers), else the owner's group
     */
    record Entry(String path, Kind kind, int mode, Role owner, boolean queueGroup, String why) {
    }

    private Layout() {
    }

    static List<Entry> entries() {
        List<Entry> e = new ArrayList<>();
        e.add(dir(".", 0755, null, false, "the home"));
        e.add(dir("bin", 0755, null, false, "the programs, bound to this home"));
        e.add(dir("control", 0755, null, false, "control files: root writes, every program reads"));
        e.add(dir("users", 0755, null, false, "users/ids, assign and its index"));
        e.add(dir("alias", 02755, Role.ALIAS, false, "the alias user's .qmail files"));
        e.add(dir("vmail", 0700, Role.VMAIL, false, "virtual users' Maildirs"));
        e.add(dir("queue", 0751, Role.QUEUE, true, "others may only pass through, to the maildrop"));
        e.add(dir("queue/tmp", 0700, Role.QUEUE, true, "injections being written"));
        e.add(dir("queue/todo", 0750, Role.QUEUE, true, "committed, not yet taken by the scheduler"));
        e.add(dir("queue/mess", 0750, Role.QUEUE, true, "messages the scheduler has taken"));
        splits(e, "queue/mess", 0750, Role.QUEUE, "messages, split by id");
        for (String s : new String[] {"info", "local", "remote"}) {
            e.add(dir("queue/" + s, 0700, Role.SEND, true, "the scheduler's state"));
            splits(e, "queue/" + s, 0700, Role.SEND, "the scheduler's state, split by id");
        }
        e.add(dir("queue/bounce", 0700, Role.SEND, true, "failed recipients awaiting a bounce"));
        e.add(dir("queue/hold", 0700, Role.SEND, true, "held messages"));
        e.add(dir("queue/bad", 0700, Role.QUEUE, true, "what jqmail queue fsck --repair moved aside"));
        e.add(dir("queue/maildrop", 01733, Role.QUEUE, true, "anyone may drop a file, nobody may list"));
        e.add(dir("queue/lock", 0750, Role.QUEUE, true, "the trigger"));
        e.add(new Entry("queue/lock/trigger", Kind.FIFO, 0622, Role.SEND, true,
            "the scheduler reads; the queue daemon writes"));
        e.add(dir("run", 0755, null, false, "sockets and pid files"));
        e.add(dir("run/queue", 0755, Role.QUEUE, true, "inject.sock (0666), clean.sock (0660)"));
        e.add(dir("run/send", 0755, Role.SEND, true, "the scheduler's control socket"));
        e.add(dir("run/lspawn", 0755, null, false, "qmail-lspawn's socket; w/UID/ for each worker's"));
        e.add(dir("run/rspawn", 0755, Role.REMOTE, false, "qmail-rspawn's socket, its downed-hosts table (tcpto)"));
        e.add(dir("run/auth", 0755, Role.AUTH, false, "the auth service's socket (0666; it serves only jqmaild and root)"));
        e.add(dir("run/pid", 0755, null, false, "the supervisor's pid files"));
        e.add(dir("log", 0755, null, false, "one directory per daemon"));
        return e;
    }

    private static Entry dir(String path, int mode, Role owner, boolean queueGroup, String why) {
        return new Entry(path, Kind.DIR, mode, owner, queueGroup, why);
    }

    private static void splits(List<Entry> e, String parent, int mode, Role owner, String why) {
        for (int i = 0; i < QueueId.SPLIT; i++) {
            e.add(new Entry(parent + "/" + i, Kind.DIR, mode, owner, true, why));
        }
    }
}
