package jqmail.auth;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import jnr.unixsocket.Credentials;
import jnr.unixsocket.UnixSocketChannel;
import jqmail.common.AuthWire;
import jqmail.common.ChannelStreams;
import jqmail.common.Identities;
import jqmail.common.Log;
import jqmail.common.Printable;
import jqmail.common.smtp.Authenticator;
import jqmail.common.smtp.Authenticator.Result;
import jqmail.common.smtp.Authenticator.Verdict;

/**
 * The auth service's work on one connection ({@link AuthWire}): only the
 * SMTP/POP3 front's uid and root are served. A name in users/passwd is
 * checked there (NAME and NAME@me are the same virtual user); any other
 * goes to control/checkpassword when there is one, else to the system's
 * passwd and shadow ({@link SystemPasswords}). A failure is answered
 * only after {@code authfaildelay} seconds, and an address (an IPv6 /64)
 * with {@code authfailures} failures in the last 15 minutes is refused
 * unchecked.
 */
final class AuthService {
    static final long WINDOW_MILLIS = 15 * 60 * 1000L;

    /** What control says; replaced whole on SIGHUP. */
    record Settings(String me, long failDelayMillis, int maxFailures, String checkPassword) {
    }

    private final Identities ids;
    private final PasswordFile passwords;
    private final SystemPasswords system;
    private volatile Settings settings;
    private volatile FailureLimit failures;
    /** PBKDF2 is slow on purpose: at most one check per core at a time, however many clients ask. */
    private final Semaphore cpu = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));

    AuthService(Identities ids, PasswordFile passwords, SystemPasswords system, Settings settings) {
        this.ids = ids;
        this.passwords = passwords;
        this.system = system;
        reload(settings);
    }

    void reload(Settings s) {
        if (settings == null || s.maxFailures() != settings.maxFailures()) {
            failures = new FailureLimit(s.maxFailures(), WINDOW_MILLIS, System::currentTimeMillis);
        }
        settings = s;
    }

    void serve(UnixSocketChannel ch, Credentials peer) {
        try (ch) {
            int uid = peer.getUid();
            if (uid != 0 && uid != ids.uid(Identities.Role.SMTPD)) {
                Log.warning("auth: refused a connection from uid " + Integer.toUnsignedString(uid));
                return;
            }
            InputStream in = new BufferedInputStream(ChannelStreams.in(ch), 512);
            String[] f = AuthWire.readRequest(in);
            Result r = f == null ? Result.of(Verdict.BAD) : check(f[0], f[1], f[2], f[3]);
            ByteBuffer out = ByteBuffer.wrap(AuthWire.answer(r).getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                ch.write(out);
            }
        } catch (IOException e) {
            // The front went away; its client is told nothing more.
        }
    }

    Result check(String service, String user, String password, String ip) {
        Settings s = settings;
        FailureLimit limit = failures;
        String who = printable(user);
        String key = limitKey(ip);
        if (limit.limited(key)) {
            Log.info("auth: " + service + " " + who + " from " + ip + " refused unchecked: too many failures");
            return Result.of(Verdict.LIMITED);
        }
        String name = account(user, s.me());
        Verdict v;
        cpu.acquireUninterruptibly();
        try {
            v = verify(s, name, password);
        } catch (IOException e) {
            Log.warning("auth: unable to check " + who + ": " + e.getMessage());
            return Result.of(Verdict.TEMPORARY);
        } finally {
            cpu.release();
        }
        if (v == Verdict.OK) {
            Log.info("auth: " + service + " ok " + who + " from " + ip);
            return new Result(Verdict.OK, name);
        }
        if (v == Verdict.BAD) {
            limit.failed(key);
            Log.info("auth: " + service + " failed " + who + " from " + ip);
            pause(s.failDelayMillis());
        }
        return Result.of(v);
    }

    /** users/passwd first, then control/checkpassword if there is one, else the system's own logins. */
    private Verdict verify(Settings s, String name, String password) throws IOException {
        if (!passwords.has(name)) {
            if (s.checkPassword() != null) {
                int status = new CheckPassword(s.checkPassword()).run(name, password);
                return status == 0 ? Verdict.OK : status == 1 ? Verdict.BAD : Verdict.TEMPORARY;
            }
            if (system.has(name)) {
                return system.matches(name, password) ? Verdict.OK : Verdict.BAD;
            }
        }
        return passwords.matches(name, password) ? Verdict.OK : Verdict.BAD;   // an unknown name costs the same
    }

    /**
     * Whom failures are counted against: an IPv4 address, or an IPv6 /64
     * (one subscriber's prefix: an attacker has 2^64 addresses in it).
     */
    static String limitKey(String ip) {
        if (ip.indexOf(':') < 0) {
            return ip;
        }
        try {
            byte[] a = java.net.InetAddress.getByName(ip).getAddress();   // a literal: no DNS
            if (a.length != 16) {
                return ip;
            }
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                b.append(Integer.toHexString((a[i] & 0xff) << 8 | a[i + 1] & 0xff)).append(':');
            }
            return b.append(":/64").toString();
        } catch (java.net.UnknownHostException e) {
            return ip;
        }
    }

    /** NAME@me is the virtual user NAME (DESIGN §10); any other name is as given. */
    static String account(String user, String me) {
        int at = user.lastIndexOf('@');
        if (at > 0 && user.substring(at + 1).toLowerCase(Locale.ROOT).equals(me.toLowerCase(Locale.ROOT))) {
            return user.substring(0, at);
        }
        return user;
    }

    /** For the log: a user name with nothing that could forge a log line. */
    static String printable(String s) {
        return Printable.word(s, '?', 64);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
