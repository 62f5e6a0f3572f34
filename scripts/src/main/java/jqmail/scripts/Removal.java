package jqmail.scripts;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import jqmail.common.Home;
import jqmail.common.Identities;
import jqmail.queue.Queue;

/**
 * {@code jqmail setup --system --remove}: undoes {@code setup --system}. It
 * refuses while the home's daemons run or while the home holds mail (a
 * queued message, a message in a Maildir under {@code alias/} or
 * {@code vmail/}); otherwise it deletes the /var/qmail that
 * {@code --qmail-compat} made for this home, the home (never following a
 * link out of either) and then the accounts of DESIGN §2 and their groups
 * that setup made for it ({@link Created}; an account that was there before
 * setup stays). The accounts are shared by every system home on the
 * machine: remove the last.
 */
final class Removal {
    private final Home home;

    Removal(Home home) {
        this.home = home;
    }

    /** Null when done; else why not (nothing was changed). */
    String run() throws IOException {
        if (jnr.posix.POSIXFactory.getNativePOSIX().geteuid() != 0) {
            return "--remove needs root";
        }
        Identities ids = Identities.read(home);
        if (!ids.isSystem()) {
            return home.root() + " is not a system home: it has no accounts to remove (delete the directory)";
        }
        if (new PidFile(home, Daemons.SUPERVISOR).live().isPresent()) {
            return "its daemons run: jqmail stop --home " + home.root() + " first";
        }
        int queued = new Queue(home.queue()).walk().size() + count(home.queue().resolve("maildrop"));
        if (queued > 0) {
            return "its queue holds " + queued + " message(s): deliver them, or jqmail queue delete all --yes";
        }
        List<Path> mail = mailboxesWithMail();
        if (!mail.isEmpty()) {
            return "these Maildirs hold mail: " + mail + ": move it elsewhere first";
        }
        // Only what setup made: accounts that were there before it are someone else's.
        List<String> users = Created.names(home, "user");
        Set<String> groups = new LinkedHashSet<>(Created.names(home, "group"));
        new QmailCompat(home).remove();   // first: its links point into the home
        deleteTree(home.root());
        for (Identities.Role r : Identities.Role.values()) {
            Identities.Account a = ids.account(r);
            if (users.contains(a.name())) {
                Setup.exec("userdel", a.name());
                groups.add(a.name());
            }
        }
        for (String g : groups) {
            // userdel removes a private group itself on Debian; what is left goes here.
            new ProcessBuilder("groupdel", g).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        }
        return null;
    }

    private List<Path> mailboxesWithMail() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path top : new Path[] {home.alias(), home.vmail()}) {
            if (!Files.isDirectory(top)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(top)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    String n = p.getFileName().toString();
                    if ((n.equals("new") || n.equals("cur")) && Files.isDirectory(p) && count(p) > 0) {
                        out.add(p.getParent());
                    }
                }
            }
        }
        return out;
    }

    private static int count(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.count();
        }
    }

    /** Deletes a tree; a symbolic link is deleted as a link, never followed. */
    static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Files.delete(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
