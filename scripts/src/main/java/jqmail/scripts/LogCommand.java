package jqmail.scripts;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import jqmail.common.Home;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "log",
    description = "Print the daemons' logs in time order, the TAI64N labels as local time (tai64nlocal).")
final class LogCommand implements Callable<Integer> {
    /** tai64nlocal's format. */
    static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSSSS");

    @Mixin
    JqmailMain.HomeOption home = new JqmailMain.HomeOption();

    @Parameters(paramLabel = "DAEMON", arity = "0..*",
        description = "a directory of log/ (qmail-send, qmail-queued, ...); default: all of them, merged")
    List<String> daemons = new ArrayList<>();

    @Option(names = "-n", paramLabel = "N", description = "only the last N lines")
    Integer last;

    @Override
    public Integer call() throws IOException {
        Home h = home.home();
        List<String> names = daemons.isEmpty() ? logNames(h.log()) : daemons;
        for (String n : names) {
            if (!n.matches("[A-Za-z0-9][A-Za-z0-9._-]*") || !Files.isDirectory(h.log().resolve(n))) {
                System.err.println("jqmail: no log named " + n + " in " + h.log());
                return JqmailMain.USAGE;
            }
        }
        if (last != null && last < 0) {
            System.err.println("jqmail: -n: a number of lines, not " + last);
            return JqmailMain.USAGE;
        }
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 65536),
            false, StandardCharsets.UTF_8);
        print(h.log(), names, daemons.isEmpty() || names.size() > 1, last, ZoneId.systemDefault(), out);
        out.flush();
        return JqmailMain.OK;
    }

    /** Every directory of log/, sorted. */
    static List<String> logNames(Path log) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(log, Files::isDirectory)) {
            ds.forEach(p -> out.add(p.getFileName().toString()));
        } catch (NoSuchFileException e) {
            return out;
        }
        out.sort(null);
        return out;
    }

    /**
     * Prints the logs merged by time, each daemon's lines in their own order;
     * with {@code last}, only the last lines. Stops early when {@code out}
     * fails (a closed pipe, as with {@code | head}).
     */
    static void print(Path log, List<String> names, boolean prefix, Integer last, ZoneId zone, PrintStream out)
        throws IOException {
        int width = names.stream().mapToInt(String::length).max().orElse(0);
        DateTimeFormatter local = LOCAL.withZone(zone);
        ArrayDeque<String> tail = new ArrayDeque<>();
        merge(log, names, (name, line) -> {
            String s = (prefix ? pad(name, width) + " " : "") + format(line, local);
            if (last == null) {
                out.println(s);
            } else if (last > 0) {
                if (tail.size() == last) {
                    tail.removeFirst();
                }
                tail.addLast(s);
            }
        }, out::checkError);
        tail.forEach(out::println);
    }

    /** A labelled line with its label as local time; any other line as it is, as tai64nlocal does. */
    static String format(LogFiles.Line line, DateTimeFormatter local) {
        String cut = line.cut() ? " [cut at " + LogFiles.MAX_LINE + " bytes]" : "";
        if (line.time() == null) {
            return line.text() + cut;
        }
        String t = local.format(line.time());
        return (line.text().isEmpty() ? t : t + " " + line.text()) + cut;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** Receives merged lines. */
    interface Sink {
        void line(String daemon, LogFiles.Line line);
    }

    /** One log being merged: its next line and the time that line sorts at. */
    private static final class Head {
        final int index;
        final String name;
        final LogFiles files;
        LogFiles.Line line;
        Instant time = Instant.MIN;

        Head(int index, String name, LogFiles files) {
            this.index = index;
            this.name = name;
            this.files = files;
        }

        /** Moves to the next line; a line without a label sorts with the line before it. */
        boolean advance() throws IOException {
            line = files.next();
            if (line != null && line.time() != null) {
                time = line.time();
            }
            return line != null;
        }
    }

    /** Feeds {@code sink} every line of the named logs in time order, until {@code stop} says so. */
    static void merge(Path log, List<String> names, Sink sink, BooleanSupplier stop)
        throws IOException {
        PriorityQueue<Head> heads = new PriorityQueue<>(
            Comparator.comparing((Head h) -> h.time).thenComparingInt(h -> h.index));
        List<LogFiles> open = new ArrayList<>();
        try {
            for (int i = 0; i < names.size(); i++) {
                LogFiles f = new LogFiles(log.resolve(names.get(i)));
                open.add(f);
                Head h = new Head(i, names.get(i), f);
                if (h.advance()) {
                    heads.add(h);
                }
            }
            while (!heads.isEmpty() && !stop.getAsBoolean()) {
                Head h = heads.poll();
                sink.line(h.name, h.line);
                if (h.advance()) {
                    heads.add(h);
                }
            }
        } finally {
            for (LogFiles f : open) {
                f.close();
            }
        }
    }
}
