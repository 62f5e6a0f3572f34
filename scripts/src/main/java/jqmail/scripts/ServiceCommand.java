package jqmail.scripts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import jqmail.common.Home;
import jqmail.common.Identities;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jqmail service systemd|daemontools}: the files that let systemd
 * or daemontools' svscan run this home's daemons ({@code jqmail start
 * --foreground} under them), with this home's and this build's paths.
 * {@code --java} and {@code --jqmail} name other paths, for a unit made
 * before the home exists: the .deb's, made by scripts/package, runs the
 * installed front door on Debian's {@code /usr/bin/java}.
 */
@Command(name = "service", description = "Print a systemd unit, or make a daemontools service directory, for this home.")
final class ServiceCommand implements Callable<Integer> {
    @Mixin
    JqmailMain.HomeOption home = new JqmailMain.HomeOption();

    @Parameters(index = "0", paramLabel = "systemd|daemontools")
    String kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DIR", description = "daemontools: the service directory to make")
    Path dir;

    @Option(names = "--java", paramLabel = "PATH", description = "the java the supervisor runs on (default: the one"
        + " the home recorded at setup)")
    String java;

    @Option(names = "--jqmail", paramLabel = "PATH", description = "the jqmail program to run (default: this one)")
    String jqmail;

    @Override
    public Integer call() throws IOException {
        Home h = home.home();
        String java = this.java != null ? this.java : Privileges.java(h);
        String jqmail = this.jqmail != null ? this.jqmail : JqmailMain.dist().resolve("bin/jqmail").toString();
        switch (kind) {
            case "systemd" -> {
                System.out.print(ServiceFiles.systemdUnit(h, jqmail, java));
                return JqmailMain.OK;
            }
            case "daemontools" -> {
                if (dir == null) {
                    System.err.println("jqmail service daemontools: name the service directory to make");
                    return JqmailMain.USAGE;
                }
                ServiceFiles.daemontools(dir, h, Identities.read(h), jqmail, java);
                System.out.println("jqmail: made " + dir + "; link it into svscan's directory (ln -s " + dir
                    + " /etc/service/)");
                return JqmailMain.OK;
            }
            default -> {
                System.err.println("jqmail service: systemd or daemontools, not " + kind);
                return JqmailMain.USAGE;
            }
        }
    }
}
