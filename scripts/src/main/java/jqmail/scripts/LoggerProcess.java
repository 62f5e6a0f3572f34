package jqmail.scripts;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The supervisor's end of the logger ({@link LoggerCommand}): one process,
 * fed {@code NAME TAB LINE} through a pipe from a bounded queue. A full
 * queue makes the daemon whose output it is wait, as multilog does: a line
 * is never dropped. A logger that dies is started again a second later and
 * gets the lines from the one it did not take.
 */
final class LoggerProcess {
    private static final int QUEUE = 10_000;
    private static final String STOP = "\0stop";

    private final List<String> command;
    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(QUEUE);
    private final Thread writer;
    private Process process;
    private OutputStream out;

    LoggerProcess(List<String> command) {
        this.command = command;
        writer = new Thread(this::write, "logger");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues one line of {@code name}'s log; waits while the logger is behind. */
    void line(String name, String text) {
        try {
            lines.put(name + '\t' + text.replace('\n', ' '));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Hands over what is queued, ends the logger's input and waits for it to finish writing. */
    void close() {
        line("", STOP);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write() {
        String pending = null;
        for (;;) {
            try {
                if (pending == null) {
                    pending = lines.take();
                }
                if (pending.endsWith(STOP)) {
                    finish();
                    return;
                }
                if (out == null) {
                    start();
                }
                out.write((pending + "\n").getBytes(StandardCharsets.UTF_8));
                pending = null;
                if (lines.isEmpty()) {
                    out.flush();
                }
            } catch (IOException e) {
                System.err.println("supervise: the logger failed (" + e.getMessage() + "); starting it again");
                out = null;
                if (process != null) {
                    process.destroyForcibly();
                }
                if (!pause()) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void start() throws IOException {
        process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        out = new BufferedOutputStream(process.getOutputStream(), 64 * 1024);
    }

    private void finish() {
        try {
            if (out != null) {
                out.close();
            }
            if (process != null && !process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            // The logger went away: nothing more to hand it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(1000);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
