package jqmail.local.lspawn;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jnr.posix.POSIX;
import jqmail.common.Home;
import jqmail.common.Identities;
import jqmail.common.Log;
import jqmail.local.users.LocalUser;

/**
 * One qmail-local worker per uid, started on demand and kept while it is
 * used (it exits by itself after five idle minutes): a warm JVM that writes
 * that account's mail and nobody else's. In a system home the worker is
 * started through setpriv with the account's uid and primary gid, no other
 * groups, no capabilities and a cleared environment; in a user-mode home it
 * runs as the home's owner, in the same process layout.
 */
final class Workers {
    private final Home home;
    private final Identities ids;
    private final Path dist;
    private final POSIX posix;
    private final Map<Integer, Process> running = new HashMap<>();

    Workers(Home home, Identities ids, Path dist, POSIX posix) {
        this.home = home;
        this.ids = ids;
        this.dist = dist;
        this.posix = posix;
    }

    /** The socket of the worker for this account, starting the worker if none runs. */
    synchronized Path socketFor(LocalUser u) throws IOException {
        int uid = uid(u);
        Path dir = home.run().resolve("lspawn/w/" + uid);
        Path socket = dir.resolve("s");
        Process p = running.get(uid);
        if (p != null && p.isAlive() && Files.exists(socket)) {
            return socket;
        }
        Files.createDirectories(dir);
        if (ids.isSystem()) {
            posix.chown(dir.toString(), u.uid(), u.gid());
        }
        posix.chmod(dir.toString(), 0700);
        p = start(u, socket);
        running.put(uid, p);
        return socket;
    }

    private int uid(LocalUser u) {
        return ids.isSystem() ? u.uid() : ids.uid(Identities.Role.QUEUE);
    }

    /** Forgets a worker that failed, so the next delivery starts a fresh one. */
    synchronized void forget(LocalUser u) {
        Process p = running.remove(uid(u));
        if (p != null) {
            p.destroy();
        }
    }

    /**
     * A program of the dist run as the account: in a system home through
     * setpriv (its uid and primary gid, no other groups, no capabilities)
     * with a cleared environment that holds the home, PATH, the JDK the
     * home records and {@code env}; in user mode as this process. Its
     * stderr is this process's.
     */
    static ProcessBuilder asAccount(Home home, Identities ids, Path dist, LocalUser u, List<String> env,
                                    String program, String... args) {
        List<String> cmd = new ArrayList<>();
        if (ids.isSystem()) {
            cmd.addAll(List.of("setpriv", "--reuid=" + u.uid(), "--regid=" + u.gid(), "--clear-groups",
                "--inh-caps=-all", "--reset-env", "env", Home.ENV + "=" + home.root(), "PATH=/usr/bin:/bin"));
            cmd.addAll(env);
            String java = System.getenv("JQMAIL_JAVA");   // the JDK the home records, set by the supervisor
            if (java != null) {
                cmd.add("JQMAIL_JAVA=" + java);
            }
        }
        cmd.add(dist.resolve("bin").resolve(program).toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put(Home.ENV, home.root().toString());
        return pb;
    }

    private Process start(LocalUser u, Path socket) throws IOException {
        String access = ids.isSystem() ? "defer" : "direct";   // a system home's spool is qmail-lspawn's to write
        Process p = asAccount(home, ids, dist, u, List.of(), "qmail-local", "--worker", socket.toString(),
            "--spool", access).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        String line = r.readLine();
        if (!"ready".equals(line)) {
            p.destroyForcibly();
            throw new IOException("qmail-local worker for uid " + u.uid() + " did not start");
        }
        Log.info("status: started qmail-local for uid " + u.uid() + " pid " + p.pid());
        return p;
    }

    synchronized void stopAll() {
        for (Process p : running.values()) {
            p.destroy();
        }
        for (Process p : running.values()) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        running.clear();
    }
}
