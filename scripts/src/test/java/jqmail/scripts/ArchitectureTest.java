package jqmail.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The one-way dependencies of STYLE.md, read from every module's imports:
 * common uses the JDK only; smtpd never touches queue paths, and in local and
 * remote only the spawners do;
 * the per-message programs and the queue library they load stay free of jnr
 * and picocli; picocli belongs to the front door.
 */
class ArchitectureTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);

    record Use(Path file, String imported) {
    }

    static List<Use> imports(String module, String packageDir) throws IOException {
        Path src = ROOT.resolve(module).resolve("src/main/java").resolve(packageDir);
        List<Use> out = new ArrayList<>();
        if (!Files.isDirectory(src)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    out.add(new Use(ROOT.relativize(f), m.group(1)));
                }
            }
        }
        return out;
    }

    static List<Use> violations(List<Use> uses, String... forbiddenPrefixes) {
        List<Use> bad = new ArrayList<>();
        for (Use u : uses) {
            for (String p : forbiddenPrefixes) {
                if (u.imported().startsWith(p)) {
                    bad.add(u);
                }
            }
        }
        return bad;
    }

    @Test
    void commonDependsOnTheJdkOnly() throws IOException {
        List<Use> bad = new ArrayList<>();
        for (Use u : imports("common", "jqmail")) {
            String i = u.imported();
            if (!(i.startsWith("java.") || i.startsWith("javax.") || i.startsWith("jqmail.common.")
                || i.equals("sun.misc.Signal"))) {
                bad.add(u);
            }
        }
        assertEquals(List.of(), bad);
    }

    @Test
    void receiversAndDeliverersNeverOpenTheQueue() throws IOException {
        assertEquals(List.of(), violations(imports("smtpd", "jqmail"), "jqmail.queue", "jqmail.send", "jqmail.scripts"));
        // The one exception (STYLE.md): each spawner opens the message file itself; what it runs does not.
        for (String pkg : new String[] {"jqmail/local/deliver", "jqmail/local/users", "jqmail/local/aliases"}) {
            assertEquals(List.of(), violations(imports("local", pkg), "jqmail.queue", "jqmail.send", "jqmail.scripts"), pkg);
        }
        for (String pkg : new String[] {"jqmail/remote/smtp", "jqmail/remote/route"}) {
            assertEquals(List.of(), violations(imports("remote", pkg), "jqmail.queue", "jqmail.send", "jqmail.scripts"), pkg);
        }
        for (String m : new String[] {"local", "remote"}) {
            assertEquals(List.of(), violations(imports(m, "jqmail"), "jqmail.send", "jqmail.scripts"), m);
        }
    }

    @Test
    void perMessageProgramsStayLean() throws IOException {
        List<Use> uses = new ArrayList<>();
        for (String pkg : new String[] {"jqmail/queue/qmailqueue", "jqmail/queue/inspect", "jqmail/queue/inject",
            "jqmail/queue/sendmail"}) {
            uses.addAll(imports("queue", pkg));
        }
        try (Stream<Path> lib = Files.list(ROOT.resolve("queue/src/main/java/jqmail/queue"))) {
            for (Path f : (Iterable<Path>) lib.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    uses.add(new Use(f, m.group(1)));
                }
            }
        }
        uses.addAll(imports("local", "jqmail/local/pop3d"));
        assertEquals(List.of(), violations(uses, "jnr.", "picocli.", "jqmail.queue.daemon"));
    }

    @Test
    void picocliOnlyInTheFrontDoor() throws IOException {
        for (String m : new String[] {"common", "queue", "smtpd", "auth", "send", "local", "remote"}) {
            assertEquals(List.of(), violations(imports(m, "jqmail"), "picocli."), m);
        }
    }

    /** The only reader of passwords borrows the queue's socket server (peer credentials) and nothing else. */
    @Test
    void theAuthServiceTouchesNoMail() throws IOException {
        List<Use> bad = new ArrayList<>();
        for (Use u : violations(imports("auth", "jqmail"), "jqmail.queue", "jqmail.send", "jqmail.scripts", "jqmail.smtpd",
                "jqmail.local", "jqmail.remote")) {
            if (!u.imported().equals("jqmail.queue.daemon.SocketServer")) {
                bad.add(u);
            }
        }
        assertEquals(List.of(), bad);
    }
}
