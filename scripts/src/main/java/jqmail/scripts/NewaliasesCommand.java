package jqmail.scripts;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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
        try {
            AliasIndex.Summary s = AliasIndex.compile(file, AliasIndex.path(home.home()));
            for (String w : s.warnings()) {
                System.err.println("newaliases: warning: " + file + ": " + w);
            }
            System.out.println(file + ": " + s.aliases() + " aliases, longest " + s.longest() + " bytes, "
                + s.total() + " bytes total");
            return EX_OK;
        } catch (AliasFile.Malformed e) {
            System.err.println("newaliases: " + file + (e.line > 0 ? ":" + e.line : "") + ": " + e.what);
            return EX_DATAERR;
        } catch (IOException e) {
            System.err.println("newaliases: " + describe(e));
            return EX_IOERR;
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
