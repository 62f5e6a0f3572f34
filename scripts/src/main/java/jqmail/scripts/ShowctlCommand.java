package jqmail.scripts;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import jqmail.common.Home;
import jqmail.common.Json;
import jqmail.common.QueueId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "showctl",
    description = "Show each control file jqmail reads: its value or default, and what it means (qmail-showctl).")
final class ShowctlCommand implements Callable<Integer> {
    @Mixin
    JqmailMain.HomeOption home = new JqmailMain.HomeOption();

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    /** One control file as shown: {@code trouble} is set, and {@code meaning} null, when it cannot be read. */
    record Paragraph(ControlTable.Row row, boolean isDefault, List<String> value, String meaning, String trouble) {
    }

    record Report(Path home, List<Paragraph> files, List<String> unrecognized) {
        boolean troubled() {
            return files.stream().anyMatch(p -> p.trouble() != null);
        }

        String text() {
            StringBuilder b = new StringBuilder();
            b.append("jqmail home directory: ").append(home).append(".\n");
            b.append("subdirectory split: ").append(QueueId.SPLIT).append(".\n");
            for (Paragraph p : files) {
                b.append('\n').append(p.row().name()).append(':').append(p.isDefault() ? " (Default.)" : "");
                if (p.value().isEmpty()) {
                    b.append(p.trouble() == null ? " none\n" : "\n");
                } else if (p.row().shape() != ControlTable.Shape.LIST) {
                    b.append(' ').append(p.value().get(0)).append('\n');
                } else {
                    b.append('\n');
                    p.value().forEach(v -> b.append("  ").append(v).append('\n'));
                }
                b.append(p.trouble() != null ? "Trouble: " + p.trouble() : p.meaning()).append('\n');
            }
            for (String name : unrecognized) {
                b.append('\n').append(name).append(": unrecognized\njqmail does not read this file.\n");
            }
            return b.toString();
        }

        String json() {
            Json j = new Json().beginObject().field("home", home.toString()).name("files").beginArray();
            for (Paragraph p : files) {
                j.beginObject().field("name", p.row().name()).field("default", p.isDefault()).name("value");
                if (p.row().shape() == ControlTable.Shape.LIST) {
                    j.beginArray();
                    p.value().forEach(j::value);
                    j.endArray();
                } else {
                    j.value(p.value().isEmpty() ? null : p.value().get(0));
                }
                j.field("meaning", p.meaning()).field("trouble", p.trouble()).endObject();
            }
            j.endArray().name("unrecognized").beginArray();
            unrecognized.forEach(j::value);
            return j.endArray().endObject() + "\n";
        }
    }

    @Override
    public Integer call() throws IOException {
        Home h = home.home();
        if (!Files.isDirectory(h.root())) {
            System.err.println("jqmail: no home at " + h.root());
            return JqmailMain.TROUBLE;
        }
        Report r = report(h);
        System.out.print(json ? r.json() : r.text());
        return r.troubled() ? JqmailMain.TROUBLE : JqmailMain.OK;
    }

    static Report report(Home h) throws IOException {
        ControlTable.Values all = new ControlTable.Values(h);
        List<Paragraph> files = new ArrayList<>();
        for (ControlTable.Row row : ControlTable.ROWS) {
            files.add(paragraph(row, all));
        }
        return new Report(h.root(), files, unrecognized(h.control()));
    }

    private static Paragraph paragraph(ControlTable.Row row, ControlTable.Values all) {
        boolean absent;
        try {
            absent = !all.present(row.name());
        } catch (IOException e) {
            return new Paragraph(row, false, List.of("(unreadable)"), null, e.getMessage() + ".");
        }
        try {
            List<String> value = all.of(row.name());
            return new Paragraph(row, absent, value, row.meaning().explain(value, all), null);
        } catch (IOException e) {
            return new Paragraph(row, absent, absent ? List.of() : raw(row, all), null, e.getMessage() + ".");
        }
    }

    /** What the file holds when it cannot be understood, to show beside the trouble. */
    private static List<String> raw(ControlTable.Row row, ControlTable.Values all) {
        try {
            String first = all.home().controlFiles().line(row.name(), null);
            return first == null ? List.of() : List.of(first);
        } catch (IOException e) {
            return List.of("(unreadable)");
        }
    }

    private static List<String> unrecognized(Path control) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(control)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (ControlTable.row(name).isEmpty()) {
                    out.add(name);
                }
            }
        } catch (NoSuchFileException e) {
            return out;
        }
        out.sort(null);
        return out;
    }
}
