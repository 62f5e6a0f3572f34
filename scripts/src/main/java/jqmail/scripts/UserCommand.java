package jqmail.scripts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import jqmail.common.Home;
import jqmail.common.Identities;
import jqmail.local.users.Assign;
import jqmail.auth.PasswordFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jqmail user add NAME [--password-file FILE]}: a virtual user of {@code me}. */
@Command(name = "user", description = "Manage virtual users.", subcommands = UserCommand.Add.class)
final class UserCommand {
    @Command(name = "add", description = "Create a virtual user of control/me with its Maildir; print the Maildir's path.")
    static final class Add implements Callable<Integer> {
        @Mixin
        JqmailMain.HomeOption home = new JqmailMain.HomeOption();

        @Parameters(paramLabel = "NAME", description = "lower-case letters, digits, dot, dash and underscore")
        String name;

        @Option(names = "--password-file", paramLabel = "FILE",
            description = "the password is this file's first line (stored only as a salted PBKDF2 hash)")
        Path passwordFile;

        @Override
        public Integer call() throws Exception {
            if (!name.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
                System.err.println("jqmail: user name must be lower-case letters, digits, '.', '-' or '_': " + name);
                return JqmailMain.USAGE;
            }
            Home h = home.home();
            Identities ids = Identities.read(h);
            Identities.Account v = ids.account(Identities.Role.VMAIL);
            String me = h.controlFiles().me();
            Path userHome = h.vmail().resolve(me).resolve(name);
            Path maildir = userHome.resolve("Maildir");
            for (String d : new String[] {"tmp", "new", "cur"}) {
                Files.createDirectories(maildir.resolve(d));
            }
            for (Path p : new Path[] {h.vmail().resolve(me), userHome, maildir, maildir.resolve("tmp"),
                maildir.resolve("new"), maildir.resolve("cur")}) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
                if (ids.isSystem()) {
                    Files.setAttribute(p, "unix:uid", v.uid());
                    Files.setAttribute(p, "unix:gid", v.gid());
                }
            }
            addAssign(h, "=" + name + ":" + v.name() + ":" + v.uid() + ":" + v.gid() + ":" + userHome + ":::");
            if (passwordFile != null) {
                setPassword(h, ids, name, firstLine(passwordFile));
            }
            System.out.println(maildir.toAbsolutePath());
            return JqmailMain.OK;
        }

        private static String firstLine(Path f) throws IOException {
            String s = Files.readString(f, StandardCharsets.UTF_8);
            int nl = s.indexOf('\n');
            return nl < 0 ? s : s.substring(0, nl);
        }
    }

    private UserCommand() {
    }

    /** Adds (or replaces) the assign line of a local part and rebuilds users/cdb. */
    static void addAssign(Home h, String line) throws IOException {
        Path assign = h.users().resolve("assign");
        List<String> lines = new ArrayList<>();
        if (Files.exists(assign)) {
            lines.addAll(Files.readAllLines(assign, StandardCharsets.ISO_8859_1));
        }
        String key = line.substring(0, line.indexOf(':') + 1);
        lines.removeIf(l -> l.equals(".") || l.startsWith(key));
        lines.add(line);
        lines.add(".");
        Path tmp = assign.resolveSibling(".assign.tmp");
        Files.write(tmp, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.ISO_8859_1));
        Files.move(tmp, assign, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Assign.compile(assign, h.users().resolve("cdb"));
    }

    /** users/passwd ({@link PasswordFile}), readable by the auth service's uid only. */
    static void setPassword(Home h, Identities ids, String name, String password) throws Exception {
        String entry = PasswordFile.line(name, password);
        Path f = h.users().resolve("passwd");
        List<String> lines = new ArrayList<>();
        if (Files.exists(f)) {
            lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
        }
        lines.removeIf(l -> l.startsWith(name + ":"));
        lines.add(entry);
        Path tmp = f.resolveSibling(".passwd.tmp");
        Files.write(tmp, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        if (ids.isSystem()) {
            Files.setAttribute(tmp, "unix:uid", ids.uid(Identities.Role.AUTH));
        }
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
