package jqmail.smtpd.tcpserver;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import jqmail.common.Accounts;
import jqmail.common.Home;
import jqmail.common.smtp.SmtpSettings;

/**
 * The control files and accounts every session reads, kept while the files
 * they come from are unchanged. qmail reads them for every connection; so
 * does this, in effect: each connection compares every control file's
 * name, size and mtime (nanoseconds) with what was read, a directory read
 * and a dozen stat calls instead of a dozen file reads and parses. A change
 * is seen by the next connection, as with qmail.
 */
final class SessionConfig {
    private final Home home;
    private SmtpSettings settings;
    private String settingsDatabytes;
    private long settingsStamp;
    private Accounts accounts;
    private ServerTls tls;
    private boolean tlsRead;
    private long pop3Timeout;

    SessionConfig(Home home) {
        this.home = home;
    }

    /**
     * What one connection works with: the control files' settings, the
     * server's TLS (null: none), and for the POP3 front its idle timeout
     * in seconds (control/timeoutpop3d).
     */
    record ForConnection(SmtpSettings settings, ServerTls tls, long pop3Timeout) {
    }

    /**
     * The settings for a connection with this DATABYTES variable (null when
     * unset) and the server's TLS from control/servercert.pem, both read
     * again when the control directory changed (one stamp for both).
     */
    synchronized ForConnection forConnection(String databytesEnv) throws IOException {
        long stamp = stamp(home.control());
        if (settings == null || stamp != settingsStamp || !Objects.equals(databytesEnv, settingsDatabytes)) {
            settings = SmtpSettings.read(home.controlFiles(), databytesEnv);
            settingsDatabytes = databytesEnv;
            pop3Timeout = home.controlFiles().number("timeoutpop3d", 1200);
        }
        if (stamp != settingsStamp || !tlsRead) {
            tls = readTls();
            tlsRead = true;
        }
        settingsStamp = stamp;
        return new ForConnection(settings, tls, pop3Timeout);
    }

    /**
     * Null without the file, or when it is unusable (said in the log once per
     * change of the control directory: mail still flows in plain text).
     */
    private ServerTls readTls() {
        try {
            return ServerTls.load(home.control().resolve("servercert.pem"));
        } catch (IOException e) {
            jqmail.common.Log.warning("tcpserver: no STARTTLS: " + e.getMessage());
            return null;
        }
    }

    synchronized Accounts accounts() throws IOException {
        accounts = accounts == null ? Accounts.load(home) : accounts.reloadIfChanged();
        return accounts;
    }

    /** A digest of a directory's entries: names, sizes, mtimes, inodes; any change changes it. */
    static long stamp(Path dir) throws IOException {
        long sum = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                long h = p.getFileName().toString().hashCode();
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    h = h * 31 + a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
                    h = h * 31 + a.size();
                    h = h * 31 + Objects.hashCode(a.fileKey());
                } catch (NoSuchFileException e) {
                    h = h * 31 + 1;
                }
                sum += h * 0x9E3779B97F4A7C15L;
            }
        } catch (NoSuchFileException e) {
            return 0;
        }
        return sum;
    }
}
