package jqmail.auth;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * qmail's checkpassword interface (cr.yp.to/checkpwd/interface.html):
 * the program named by {@code control/checkpassword} reads
 * "user\0password\0timestamp\0" on descriptor 3 and runs its argument, here
 * {@code /bin/true}, when they match. Exit 0: accepted; 1: refused; anything
 * else (111, 2, a timeout): trouble, which the client sees as temporary.
 */
final class CheckPassword {
    static final long TIMEOUT_SECONDS = 15;

    private final String command;

    /** @param command the program and its arguments, as {@code /bin/sh} reads them (the administrator's file) */
    CheckPassword(String command) {
        this.command = command;
    }

    /** 0, 1, or trouble as -1. */
    int run(String user, String password) throws IOException {
        // The data goes on stdin, which the shell moves to descriptor 3 (ProcessBuilder has no other way to it).
        ProcessBuilder pb = new ProcessBuilder(List.of("/bin/sh", "-c",
            "exec " + command + " /bin/true 3<&0 0</dev/null 1>/dev/null"));
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        try (OutputStream o = p.getOutputStream()) {
            String timestamp = "<" + System.currentTimeMillis() + "@jqmail>";
            for (String f : new String[] {user, password, timestamp}) {
                o.write(f.getBytes(StandardCharsets.UTF_8));
                o.write(0);
            }
        } catch (IOException e) {
            // It exited without reading: its status says why.
        }
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return -1;
        }
        int status = p.exitValue();
        return status == 0 || status == 1 ? status : -1;
    }
}
