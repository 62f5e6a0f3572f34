package jqmail.common;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Removal of a name that is often not there, on the delivery path. On JDK
 * 17, {@link Files#deleteIfExists} makes and throws a NoSuchFileException
 * for every missing name (an lstat, then a stack trace: about 5 µs); the
 * scheduler removes six state files per finished message, most of them
 * never written. {@link File#delete} reports a miss with false instead.
 */
public final class Unlink {
    private Unlink() {
    }

    /**
     * As {@link Files#deleteIfExists}: true when the name was removed, false
     * when there was none; an IOException, from Files.delete, when it is
     * there and cannot be removed (a directory not empty, no permission). A
     * name that cannot even be looked up counts as missing.
     */
    public static boolean ifPresent(Path p) throws IOException {
        File f = p.toFile();
        if (f.delete()) {
            return true;
        }
        if (!f.exists()) {
            return false;
        }
        Files.delete(p);   // there, yet not removed: this says why
        return true;
    }
}
