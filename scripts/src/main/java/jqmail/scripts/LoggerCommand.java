package jqmail.scripts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import jqmail.common.Home;
import jqmail.common.Identities;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code jqmail logger}: the logger of DESIGN §2, started by the supervisor
 * (as {@code jqmaill} in a system home). It reads {@code NAME TAB LINE}
 * lines on stdin, from the supervisor, which copies each daemon's output
 * there, and writes each line with its TAI64N stamp to
 * {@code log/NAME/current}, multilog's way (see LogDir). Only the names of
 * jqmail's daemons are written; a line is cut at {@link #MAX_LINE}
 * characters. No daemon can write its own log, so none can rewrite its
 * history, and the root supervisor never writes into a directory the
 * logger's account owns. It ends at the end of its input.
 */
@Command(name = "logger", hidden = true, description = "Write the daemons' logs (the supervisor runs it).")
final class LoggerCommand implements Callable<Integer> {
    static final int MAX_LINE = 16 * 1024;

    @Mixin
    JqmailMain.HomeOption home = new JqmailMain.HomeOption();

    @Override
    public Integer call() throws IOException {
        Home h = home.home();
        try {
            Identities.readAs(h, Identities.Role.LOG);
        } catch (IOException e) {
            System.err.println("jqmail logger: cannot start: " + e.getMessage());
            return JqmailMain.TROUBLE;
        }
        List<String> names = Daemons.logNames();
        Map<String, LogDir> dirs = new HashMap<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 64 * 1024);
        for (String line; (line = in.readLine()) != null; ) {
            int tab = line.indexOf('\t');
            String name = tab < 0 ? "" : line.substring(0, tab);
            if (!names.contains(name)) {
                continue;
            }
            LogDir d = dirs.get(name);
            if (d == null) {
                d = new LogDir(h.log().resolve(name));
                dirs.put(name, d);
            }
            String text = line.substring(tab + 1);
            d.add(text.length() > MAX_LINE ? text.substring(0, MAX_LINE) : text);
            if (!in.ready()) {
                dirs.values().forEach(LogDir::flush);
            }
        }
        dirs.values().forEach(LogDir::flush);
        return JqmailMain.OK;
    }
}
