package jqmail.remote.rspawn;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jqmail.common.Address;
import jqmail.common.Home;
import jqmail.common.Outcome;
import jqmail.common.SpawnWire;
import jqmail.remote.route.DnsResolver;
import jqmail.remote.route.DownedHosts;
import jqmail.remote.route.Router;
import jqmail.remote.smtp.MessageBody;

/**
 * One run of qmail-remote: the arguments checked, the message made readable
 * from its first byte as often as the hops need it, the recipients handed to
 * qmail-rspawn's {@link RemoteDelivery} in transactions of at most
 * {@code maxrcptremote}, and the outcomes written as qmail-remote's reports.
 */
final class QmailRemote {
    static final int USAGE = 100;
    static final int TEMP = 111;
    static final String USAGE_LINE = "qmail-remote: usage: qmail-remote host sender recip [recip ...]";

    private QmailRemote() {
    }

    /** Returns the exit code: 0 once the arguments are valid, whatever became of the message (qmail's contract). */
    static int run(String[] args, Home home, FileInputStream stdin, Path tmpDir, OutputStream out, PrintStream err) {
        if (args.length < 3) {
            err.println(USAGE_LINE);
            return USAGE;
        }
        for (int i = 1; i < args.length; i++) {
            try {
                new Address(args[i]);
            } catch (IllegalArgumentException e) {
                err.println("qmail-remote: " + e.getMessage() + ": " + args[i].replaceAll("[\\x00-\\x1f]", "?"));
                return USAGE;
            }
        }
        List<String> recipients = List.of(args).subList(2, args.length);
        byte[] reports;
        try {
            reports = deliver(args[0].toLowerCase(Locale.ROOT), args[1], recipients, home, stdin, tmpDir);
        } catch (RuntimeException e) {
            reports = early(new Outcome.TempFailure("Internal trouble in qmail-remote: " + e + ". (#4.3.0)"));
        }
        try {
            out.write(reports);
            out.flush();
            return 0;
        } catch (IOException e) {
            err.println("qmail-remote: unable to write the reports: " + e.getMessage());
            return TEMP;
        }
    }

    private static byte[] deliver(String host, String sender, List<String> recipients, Home home,
        FileInputStream stdin, Path tmpDir) {
        if (!Files.isDirectory(home.root())) {
            return early(new Outcome.TempFailure("Unable to switch to home directory " + home.root() + ". (#4.3.0)"));
        }
        Settings settings;
        Router router;
        try {
            settings = Settings.read(home.controlFiles());
            router = new Router(home.controlFiles(), new DnsResolver(home.controlFiles()));
        } catch (IOException e) {
            return early(new Outcome.TempFailure("Unable to read control files: " + e.getMessage() + ". (#4.3.0)"));
        }
        MessageBody body;
        try {
            body = body(stdin, tmpDir);
        } catch (IOException e) {
            return early(new Outcome.TempFailure("Unable to read message: " + e.getMessage() + ". (#4.3.0)"));
        }
        Connections connections = new Connections();
        // No queue: qmail-remote never calls run(Job), it hands its own message to deliver.
        RemoteDelivery delivery = new RemoteDelivery(null, router, downedHosts(home), connections,
            new Backoff(System::currentTimeMillis), settings);
        List<Outcome> outcomes = new ArrayList<>(recipients.size());
        int limit = settings.client().maxRecipientsPerTransaction();
        for (int i = 0; i < recipients.size(); i += limit) {
            List<SpawnWire.Request> requests = new ArrayList<>();
            for (String r : recipients.subList(i, Math.min(recipients.size(), i + limit))) {
                requests.add(new SpawnWire.Request(Integer.toString(i + requests.size()), null, sender, r));
            }
            outcomes.addAll(delivery.deliver(new Job(null, sender, host, requests), body));
        }
        connections.closeAll();
        return reports(outcomes);
    }

    /**
     * stdin as the message: a seekable file is read in place; anything else
     * (a pipe) is copied first to a temporary file, unlinked at once so that
     * nothing is left behind however the program ends, because the next hop
     * needs the message again from its first byte.
     */
    static MessageBody body(FileInputStream stdin, Path tmpDir) throws IOException {
        FileChannel in = stdin.getChannel();
        try {
            in.position(0);
            return new RemoteDelivery.FileBody(in, in.size());
        } catch (IOException notSeekable) {
            // A pipe or a socket: spool it.
        }
        Path f = Files.createTempFile(tmpDir, "qmail-remote", "", PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------")));
        FileChannel spool = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            Files.delete(f);
            stdin.transferTo(Channels.newOutputStream(spool));
            return new RemoteDelivery.FileBody(spool, spool.size());
        } catch (IOException e) {
            spool.close();
            throw e;
        }
    }

    /** qmail-rspawn's table, so hosts it knows to be down are skipped here too; written only by qmail-rspawn. */
    private static DownedHosts downedHosts(Home home) {
        try {
            return DownedHosts.load(home.run().resolve("rspawn/tcpto"), Clock.systemUTC());
        } catch (IOException e) {
            return new DownedHosts(Clock.systemUTC());
        }
    }

    /**
     * qmail-remote's output for one outcome per recipient: {@code r},
     * {@code h} or {@code s} for each, in order ({@code r} without text, as
     * qmail's), then the message's report: K when any recipient was
     * delivered, D when every one failed permanently, else Z, with the text
     * of the first recipient that had that letter. Each report ends in NUL.
     */
    static byte[] reports(List<Outcome> outcomes) {
        StringBuilder b = new StringBuilder();
        for (Outcome o : outcomes) {
            b.append(switch (o.letter()) {
                case 'K' -> "r";
                case 'D' -> "h" + o.text();
                default -> "s" + o.text();
            }).append('\0');
        }
        char verdict = outcomes.stream().anyMatch(o -> o.letter() == 'K') ? 'K'
            : outcomes.stream().allMatch(o -> o.letter() == 'D') ? 'D' : 'Z';
        Outcome first = outcomes.stream().filter(o -> o.letter() == verdict).findFirst().orElseThrow();
        b.append(verdict).append(first.text()).append('\0');
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A message report alone: what qmail-remote writes when it fails before any recipient is tried. */
    static byte[] early(Outcome o) {
        return (o.letter() + o.text() + "\0").getBytes(StandardCharsets.ISO_8859_1);
    }
}
