package jqmail.scripts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import jqmail.common.Home;

/**
 * {@code users/created}: the users and groups {@code jqmail setup --system}
 * made for a home, one {@code user NAME} or {@code group NAME} a line, so
 * that {@code --remove} and the package's purge delete those and no account
 * that was there before (an administrator's own jqmaild, another system
 * home's). Written before the home's users/ids, through a rename.
 */
final class Created {
    static final String FILE = "created";

    private Created() {
    }

    static Path file(Home home) {
        return home.users().resolve(FILE);
    }

    /** Adds one name of a kind ("user" or "group") to the record. */
    static void record(Home home, String kind, String name) throws IOException {
        Set<String> lines = new LinkedHashSet<>(read(home));
        lines.add(kind + " " + name);
        Files.createDirectories(home.users());
        Setup.writeAtomically(file(home), String.join("\n", lines) + "\n", 0644);
    }

    /** The names of one kind setup made; none for a home without the record. */
    static List<String> names(Home home, String kind) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : read(home)) {
            if (l.startsWith(kind + " ")) {
                out.add(l.substring(kind.length() + 1));
            }
        }
        return out;
    }

    private static List<String> read(Home home) throws IOException {
        Path f = file(home);
        return Files.exists(f) ? Files.readAllLines(f, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank())
            .toList() : List.of();
    }
}
