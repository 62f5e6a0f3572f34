package jqmail.scripts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import jnr.posix.POSIXFactory;
import jqmail.common.Home;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code jqmail tcpok}: qmail-tcpok, every remote host marked down is tried again. */
@Command(name = "tcpok", description = "Forget the remote hosts marked down after timeouts (qmail-tcpok).")
final class TcpokCommand implements Callable<Integer> {
    private static final int SIGHUP = 1;

    @Mixin
    JqmailMain.HomeOption home = new JqmailMain.HomeOption();

    @Override
    public Integer call() throws IOException {
        Home h = home.home();
        Path run = h.run().resolve("rspawn");
        Optional<ProcessHandle> rspawn = new PidFile(h, "qmail-rspawn").live();
        if (rspawn.isEmpty()) {
            Files.deleteIfExists(run.resolve("tcpto"));   // read again at the next start
        } else {
            Files.writeString(run.resolve("tcpok"), "");
            if (POSIXFactory.getNativePOSIX().kill((int) rspawn.get().pid(), SIGHUP) != 0) {
                System.err.println("jqmail tcpok: unable to signal qmail-rspawn (pid " + rspawn.get().pid() + ")");
                return JqmailMain.TROUBLE;
            }
        }
        System.out.println("every remote host may be tried again");
        return JqmailMain.OK;
    }
}
