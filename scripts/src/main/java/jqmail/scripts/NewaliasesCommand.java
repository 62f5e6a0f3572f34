package jqmail.scripts;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import jqmail.common.Home;
import jqmail.local.aliases.AliasFile;
import jqmail.local.aliases.AliasIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jqmail newaliases}, also run as {@code newaliases} and
 * {@code sendmail -bi}: /etc/aliases into users/aliases.cdb. Its exit codes
 * are sendmail's sysexits, not the front door's, because Debian's package
 * scripts and administrators call it as sendmail's newaliases.
 */
@Command(name = "newaliases", description = "Compile /etc/aliases into users/aliases.cdb (sendmail's newaliases).")
final class NewaliasesCommand implements Callable<Integer> {
    static final int EX_OK = 0;
    static final int EX_DATAERR = 65;
    static final int EX_IOERR = 74;

    @Mixin
    JqmailMain.HomeOption home = new JqmailMain.HomeOption();

    @Option(names = "--file", paramLabel = "PATH", description = "the aliases file (default: /etc/aliases)")
    Path file = Path.of("/etc/aliases");

    @Override
    public Integer call() {
        Compiled c = compile(file, home.home());
        for (String w : c.warnings()) {
            System.err.println("newaliases: warning: " + w);
        }
        if (c.error() != null) {
            System.err.println("newaliases: " + c.error());
        } else {
            System.out.println(c.summary());
        }
        return c.code();
    }

    /**
     * What one run of newaliases did: its sysexit; sendmail's summary line
     * when it compiled; else the one line saying why not (FILE:LINE: what
     * for a malformed file); warnings each prefixed by the file's name.
     */
    record Compiled(int code, String summary, String error, List<String> warnings) {
    }

    /** newaliases itself: {@code file} into the home's users/aliases.cdb; also run by jqmail setup. */
    static Compiled compile(Path file, Home home) {
        try {
            AliasIndex.Summary s = AliasIndex.compile(file, AliasIndex.path(home));
            return new Compiled(EX_OK, file + ": " + s.aliases() + " aliases, longest " + s.longest() + " bytes, "
                + s.total() + " bytes total", null, s.warnings().stream().map(w -> file + ": " + w).toList());
        } catch (AliasFile.Malformed e) {
            return new Compiled(EX_DATAERR, null, file + (e.line > 0 ? ":" + e.line : "") + ": " + e.what,
                List.of());
        } catch (IOException e) {
            return new Compiled(EX_IOERR, null, describe(e), List.of());
        }
    }

    /** NIO's messages are often the bare path: say what happened to it. */
    private static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            String why = f.getReason() != null ? f.getReason()
                : e instanceof NoSuchFileException ? "no such file"
                : e instanceof AccessDeniedException ? "permission denied" : e.getClass().getSimpleName();
            return f.getFile() + ": " + why;
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
