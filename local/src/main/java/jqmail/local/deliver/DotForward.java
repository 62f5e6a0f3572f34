package jqmail.local.deliver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import jqmail.local.aliases.AliasFile;
import jqmail.local.aliases.Target;

/**
 * {@code ~/.forward} in sendmail's syntax, read as qmail's dot-forward
 * does: only for the account's own address and only when it has no
 * {@code .qmail}. Its targets become .qmail lines: an address is a
 * forward; {@code &#92;USER} (the account itself) is its default delivery;
 * {@code \other} and a bare name are forwards to that name at the
 * recipient's domain; {@code |command} runs as the account;
 * {@code /file} is an mbox (a Maildir with a trailing slash);
 * {@code :include:/path} adds the targets of that file, read as the account.
 * The file, like a .qmail, must not be writable by group or others, and
 * (as sendmail asks) must be the account's or root's.
 */
final class DotForward {
    static final int MAX_BYTES = 1_000_000;
    private static final int MAX_INCLUDES = 8;

    private DotForward() {
    }

    /**
     * The lines of {@code home/.forward}, or null when there is none or it
     * names nothing; {@code names} are the account's own names in lower
     * case (its login and the local part it was reached by), which
     * {@code &#92;NAME} means.
     */
    static List<String> lines(Path home, int uid, Set<String> names, String domain, String defaultDelivery)
        throws IOException {
        Path file = home.resolve(".forward");
        List<Target> targets = read(file, uid);
        if (targets == null) {
            return null;
        }
        Set<String> lines = new LinkedHashSet<>();   // "a, a" forwards once
        add(targets, uid, names, domain, defaultDelivery, lines, new HashSet<>());
        return lines.isEmpty() ? null : new ArrayList<>(lines);
    }

    /** The targets' lines in order, an include's in its place. */
    private static void add(List<Target> targets, int uid, Set<String> names, String domain, String defaultDelivery,
                            Set<String> lines, Set<Path> included) throws IOException {
        for (Target t : targets) {
            if (t instanceof Target.Include inc) {
                if (!included.add(inc.path())) {
                    continue;   // read already, by another way or by itself: its targets are in
                }
                if (included.size() > MAX_INCLUDES) {
                    throw new IOException("Uh-oh: .forward includes more than " + MAX_INCLUDES + " files. (#4.2.1)");
                }
                List<Target> more = read(inc.path(), uid);
                if (more != null) {
                    add(more, uid, names, domain, defaultDelivery, lines, included);
                }
            } else if (t instanceof Target.Mail m && m.verbatim() && names.contains(m.address().value()
                .toLowerCase(Locale.ROOT))) {
                lines.add(defaultDelivery);
            } else {
                lines.add(t.qmailLine(domain));
            }
        }
    }

    /**
     * The targets of a list file, or null when it does not exist; an unsafe
     * (another's, or writable by others) or malformed file is temporary
     * trouble. {@code uid} -1: the account is not known, no owner check.
     */
    private static List<Target> read(Path file, int uid) throws IOException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException("Uh-oh: " + file + " is writable by others. (#4.7.0)");
        }
        int owner = (Integer) Files.getAttribute(file, "unix:uid");
        if (uid != -1 && owner != uid && owner != 0) {
            throw new IOException("Uh-oh: " + file + " belongs to uid " + owner + ", not to the account. (#4.7.0)");
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("Uh-oh: " + file + " is not a file. (#4.2.1)");
        }
        try {
            return new ArrayList<>(AliasFile.targetList(file, MAX_BYTES));
        } catch (AliasFile.Malformed e) {
            throw new IOException("Syntax error in " + file + ", " + e.getMessage() + " (#4.2.1)");
        }
    }
}
