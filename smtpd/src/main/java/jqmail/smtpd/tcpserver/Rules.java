package jqmail.smtpd.tcpserver;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import jqmail.common.cdb.Cdb;

/**
 * tcpserver's rules: the compiled cdb, looked up for each connection in
 * tcprules' order (the exact address, then shorter and shorter IPv4
 * prefixes ending in a dot, then CIDR prefixes longest first, then the empty
 * rule). A changed file is picked up at the next connection.
 */
final class Rules {
    /** What a rule said: deny, or allow with these variables. */
    record Verdict(boolean deny, Map<String, String> env) {
        static final Verdict ALLOW = new Verdict(false, Map.of());
    }

    private final Path file;
    private final boolean missingIsAllowed;
    private Cdb cdb;
    private long stamp = -1;

    /**
     * @param file             the compiled rules; null for none (everyone allowed)
     * @param missingIsAllowed tcpserver -X: a missing file allows everyone; without it, denies
     */
    Rules(Path file, boolean missingIsAllowed) {
        this.file = file;
        this.missingIsAllowed = missingIsAllowed;
    }

    synchronized Verdict lookup(InetAddress ip) throws IOException {
        if (file == null) {
            return Verdict.ALLOW;
        }
        Cdb c = current();
        if (c == null) {
            return missingIsAllowed ? Verdict.ALLOW : new Verdict(true, Map.of());
        }
        String text = TcpServer.text(ip);
        byte[] data = get(c, text);
        if (data == null && ip instanceof Inet4Address) {
            for (int dot = text.lastIndexOf('.'); data == null && dot > 0; dot = text.lastIndexOf('.', dot - 1)) {
                data = get(c, text.substring(0, dot + 1));
            }
        }
        if (data == null) {
            byte[] raw = ip.getAddress();
            String prefix = ip instanceof Inet4Address ? "_" : "^";
            String all = Rule.bits(raw, raw.length * 8);
            for (int n = all.length(); data == null && n > 0; n--) {
                data = get(c, prefix + all.substring(0, n));
            }
        }
        if (data == null) {
            data = get(c, "");
        }
        return data == null ? Verdict.ALLOW : verdict(data);
    }

    private static byte[] get(Cdb c, String key) throws IOException {
        return c.get(key.getBytes(StandardCharsets.ISO_8859_1));
    }

    private Cdb current() throws IOException {
        long now;
        try {
            now = Files.getLastModifiedTime(file).toMillis() ^ Files.size(file) << 20;
        } catch (NoSuchFileException e) {
            cdb = null;
            stamp = -1;
            return null;
        }
        if (cdb == null || now != stamp) {
            cdb = Cdb.open(file);
            stamp = now;
        }
        return cdb;
    }

    static Verdict verdict(byte[] data) {
        Map<String, String> env = new LinkedHashMap<>();
        int start = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] != 0) {
                continue;
            }
            String entry = new String(data, start, i - start, StandardCharsets.ISO_8859_1);
            start = i + 1;
            if (entry.equals("D")) {
                return new Verdict(true, Map.of());
            }
            int eq = entry.indexOf('=');
            if (entry.startsWith("+") && eq > 1) {
                env.put(entry.substring(1, eq), entry.substring(eq + 1));
            }
        }
        return new Verdict(false, env);
    }
}
