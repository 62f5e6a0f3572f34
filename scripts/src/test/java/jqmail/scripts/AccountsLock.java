package jqmail.scripts;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The machine-wide lock of the tests that add and delete accounts:
 * SetupIT's and PackageIT's, which use the default names of DESIGN §2
 * (jqmaild ... and group jqmail), and SystemIT's. Without it, two test runs
 * on one machine (two worktrees) take each other's accounts (one deletes
 * what the other is using), or PackageIT snapshots /etc/passwd while
 * another test's accounts come or go. Held until closed; another JVM waits.
 */
final class AccountsLock {
    private static final Path LOCK = Path.of("/run/lock/jqmail-accounts-test.lock");

    private AccountsLock() {
    }

    static AutoCloseable lock() throws IOException {
        FileChannel ch = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l = ch.lock();
        return () -> {
            l.release();
            ch.close();
        };
    }
}
