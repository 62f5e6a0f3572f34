package jqmail.local.deliver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which .qmail file governs an address, and its lines, by qmail-local's
 * rules: {@code .qmail} for the account itself (missing or empty: the
 * default delivery); for an extension {@code a-b-c}: {@code .qmail-a-b-c},
 * {@code .qmail-a-b-default}, {@code .qmail-a-default}, {@code .qmail-default}.
 * The extension is lower-cased and its dots become colons before the
 * lookup, so no name can climb out of the home.
 */
final class DotQmail {
    /** A found file (null for "use the default delivery") and the part matched by "default". */
    record Found(Path file, String defaultPart) {
    }

    /** No file covers the address: qmail's bounce. */
    static final class NoMailbox extends Exception {
        NoMailbox() {
            super("Sorry, no mailbox here by that name. (#5.1.1)");
        }
    }

    private DotQmail() {
    }

    static Found find(Path home, String dash, String ext) throws NoMailbox, IOException {
        if (dash.isEmpty()) {
            Path p = home.resolve(".qmail");
            return exists(p) && Files.size(p) > 0 ? new Found(p, null) : new Found(null, null);
        }
        String e = ext.toLowerCase(Locale.ROOT).replace('.', ':');
        Path exact = home.resolve(".qmail" + dash + e);
        if (exists(exact)) {
            return new Found(exact, null);
        }
        for (int i = e.lastIndexOf('-'); i >= 0; i = i == 0 ? -1 : e.lastIndexOf('-', i - 1)) {
            Path p = home.resolve(".qmail" + dash + e.substring(0, i) + "-default");
            if (exists(p)) {
                return new Found(p, ext.substring(i + 1));
            }
        }
        Path all = home.resolve(".qmail" + dash + "default");
        if (exists(all)) {
            return new Found(all, ext);
        }
        throw new NoMailbox();
    }

    private static boolean exists(Path p) {
        // As qmail-local's open: a dangling link is no file. Without NOFOLLOW_LINKS, JDK 17 reports a
        // miss without an exception.
        return Files.exists(p);
    }

    /** The file's lines, trailing blanks and tabs removed; problems qmail treats as temporary are IOExceptions. */
    static List<String> lines(Path file) throws IOException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        if (perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException("Uh-oh: .qmail file is writable. (#4.7.0)");
        }
        if (Files.size(file) > 1_000_000) {
            throw new IOException(".qmail file is larger than a megabyte. (#4.2.1)");
        }
        List<String> out = new ArrayList<>();
        for (String line : new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).split("\n", -1)) {
            int end = line.length();
            while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
                end--;
            }
            out.add(line.substring(0, end));
        }
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        if (!out.isEmpty() && out.get(0).isEmpty()) {
            throw new IOException("Uh-oh: first line of .qmail file is blank. (#4.2.1)");
        }
        return out;
    }

    /** A file with an execute bit holds only forwards (qmail's "forward-only" convention). */
    static boolean forwardOnly(Path file) throws IOException {
        return file != null && Files.getPosixFilePermissions(file).contains(PosixFilePermission.OWNER_EXECUTE);
    }
}
