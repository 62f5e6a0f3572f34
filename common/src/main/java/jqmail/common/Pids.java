package jqmail.common;

import java.io.IOException;
import java.nio.file.Path;

/** This process's id, cheaply. */
public final class Pids {
    private Pids() {
    }

    /**
     * From /proc/self: {@code ProcessHandle.current()} starts a thread pool
     * on first use, a cost every message pays in a program started per
     * message.
     */
    public static long self() {
        try {
            return Long.parseLong(Path.of("/proc/self").toRealPath().getFileName().toString());
        } catch (IOException | NumberFormatException e) {
            return ProcessHandle.current().pid();
        }
    }
}
