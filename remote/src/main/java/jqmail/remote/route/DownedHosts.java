package jqmail.remote.route;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jqmail.common.smtp.AddressLiteral;

/**
 * qmail-tcpto: remote addresses whose connection attempts timed out, so
 * that deliveries skip them for a while instead of each waiting out
 * timeoutconnect. One table for the whole process, IPv4 and IPv6 alike.
 *
 * <p>qmail's rules, kept: only connect timeouts count (a refused connection
 * proves the host is up, so the caller reports it with {@link #connected});
 * a timeout counts only if the last one that counted is at least
 * {@value #COALESCE_SECONDS} s old, so a burst of parallel deliveries to one
 * dead host counts once; the count stops at {@value #MAX_COUNT}; an address
 * is skipped once its count reaches {@value #DOWN_AT}, for
 * {@code (60 + j) << 6} seconds after its latest timeout, j in 0..31
 * (64 to 97 minutes); any connection clears it.
 *
 * <p>Where jqmail differs, and why:
 * <ul>
 * <li>qmail takes j from each qmail-remote's pid, so that the processes
 * come back to a host at different times. Here one process holds the table,
 * so j comes from the address, and instead, when the skip ends, one caller
 * at a time gets to try the host: {@link #isDown} says "up" once and then
 * "down" again for {@value #PROBE_SECONDS} s, until that attempt reports.
 * <li>The skip grows with repeated timeouts: twice as long at the third
 * counted timeout, four times from the fourth (at most about 6.5 hours),
 * so a host that stays dead costs one connect timeout every few hours.
 * <li>qmail moves the record's time to every timeout, counted or not, so
 * timeouts that keep coming less than two minutes apart never count twice;
 * here the two-minute window is measured from the last counted timeout.
 * <li>An address whose latest timeout is more than {@value #FORGET_SECONDS}
 * s old is forgotten, so one old timeout does not make a new one the
 * second; the table holds {@value #MAX_ENTRIES} addresses (qmail: 64),
 * evicting qmail's way: the smallest {@code last + count * 1024}.
 * </ul>
 *
 * <p>The file written by {@link #save}: a first line
 * {@code jqmail-tcpto 1}, then one line per address:
 * {@code ADDRESS COUNT COUNTED LAST} (the times in seconds since the
 * epoch). A line that does not parse is dropped on loading: the table only
 * saves time, and losing it costs at most a timeout.
 */
public final class DownedHosts {
    static final int COALESCE_SECONDS = 120;
    static final int MAX_COUNT = 10;
    static final int DOWN_AT = 2;
    static final int PROBE_SECONDS = 120;
    static final int FORGET_SECONDS = 24 * 3600;
    static final int MAX_ENTRIES = 1024;
    private static final String HEADER = "jqmail-tcpto 1";

    private final Clock clock;
    private final Map<InetAddress, Entry> table = new HashMap<>();

    private static final class Entry {
        int count;
        long counted;
        long last;
        long probeUntil;

        Entry(int count, long counted, long last) {
            this.count = count;
            this.counted = counted;
            this.last = last;
        }
    }

    public DownedHosts(Clock clock) {
        this.clock = clock;
    }

    public synchronized void timedOut(InetAddress a) {
        long now = now();
        InetAddress key = key(a);
        Entry e = live(key, now);
        if (e == null) {
            if (table.size() >= MAX_ENTRIES) {
                evict();
            }
            table.put(key, new Entry(1, now, now));
            return;
        }
        if (now - e.counted >= COALESCE_SECONDS && e.count < MAX_COUNT) {
            e.count++;
            e.counted = now;
        }
        e.last = Math.max(e.last, now);
        e.probeUntil = 0;
    }

    public synchronized void connected(InetAddress a) {
        table.remove(key(a));
    }

    /** Whether to skip the address now. Answering "no" after a skip makes this caller the one that probes it. */
    public synchronized boolean isDown(InetAddress a) {
        long now = now();
        InetAddress key = key(a);
        Entry e = live(key, now);
        if (e == null || e.count < DOWN_AT) {
            return false;
        }
        if (now < e.last + skip(key, e.count) || now < e.probeUntil) {
            return true;
        }
        e.probeUntil = now + PROBE_SECONDS;
        return false;
    }

    /** qmail-tcpto's listing, for the addresses being skipped now, with the time left. */
    public synchronized List<String> describe() {
        long now = now();
        List<InetAddress> keys = new ArrayList<>(table.keySet());
        keys.sort(Comparator.comparing(DownedHosts::text));
        List<String> out = new ArrayList<>();
        for (InetAddress k : keys) {
            Entry e = table.get(k);
            long left = e.last + skip(k, e.count) - now;
            if (e.count >= DOWN_AT && left > 0 && now - e.last <= FORGET_SECONDS) {
                out.add(text(k) + " timed out " + (now - e.last) + " seconds ago; # recent timeouts: " + e.count
                    + "; skipped for " + left + " more seconds");
            }
        }
        return out;
    }

    /** qmail-tcpok: every address is worth trying again. */
    public synchronized void reset() {
        table.clear();
    }

    /** Writes the table to {@code f} atomically (a temporary file beside it, synced, renamed over it). */
    public synchronized void save(Path f) throws IOException {
        long now = now();
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Map.Entry<InetAddress, Entry> m : table.entrySet()) {
            Entry e = m.getValue();
            if (now - e.last <= FORGET_SECONDS) {
                sb.append(text(m.getKey())).append(' ').append(e.count).append(' ').append(e.counted).append(' ')
                    .append(e.last).append('\n');
            }
        }
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.US_ASCII));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The table saved in {@code f}; empty when the file is missing or not ours. */
    public static DownedHosts load(Path f, Clock clock) throws IOException {
        DownedHosts d = new DownedHosts(clock);
        List<String> lines;
        try {
            if (Files.size(f) > 64L * MAX_ENTRIES + HEADER.length() + 1) {
                return d;
            }
            lines = Files.readAllLines(f, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return d;
        }
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            return d;
        }
        for (String line : lines.subList(1, lines.size())) {
            String[] w = line.split(" ", -1);
            InetAddress a = w.length == 4 ? parse(w[0]) : null;
            if (a == null || d.table.size() >= MAX_ENTRIES) {
                continue;
            }
            try {
                int count = Integer.parseInt(w[1]);
                long counted = Long.parseLong(w[2]);
                long last = Long.parseLong(w[3]);
                if (count >= 1 && count <= MAX_COUNT && counted <= last) {
                    d.table.put(a, new Entry(count, counted, last));
                }
            } catch (NumberFormatException e) {
                // dropped, as the class comment says
            }
        }
        return d;
    }

    synchronized int size() {
        return table.size();
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    /** The entry for the address, unless it is old enough to forget (then it is removed). */
    private Entry live(InetAddress key, long now) {
        Entry e = table.get(key);
        if (e != null && now - e.last > FORGET_SECONDS) {
            table.remove(key);
            return null;
        }
        return e;
    }

    private void evict() {
        InetAddress victim = null;
        long least = Long.MAX_VALUE;
        for (Map.Entry<InetAddress, Entry> m : table.entrySet()) {
            long v = m.getValue().last + m.getValue().count * 1024L;
            if (v < least) {
                least = v;
                victim = m.getKey();
            }
        }
        table.remove(victim);
    }

    /** How long an address with this count is skipped after its latest timeout, in seconds. */
    static long skip(InetAddress a, int count) {
        long base = (60 + (Arrays.hashCode(a.getAddress()) & 31)) << 6;
        return base << Math.max(0, Math.min(count, 4) - DOWN_AT);
    }

    /** The address without any host name, so that equal addresses are equal keys and nothing resolves. */
    private static InetAddress key(InetAddress a) {
        try {
            return InetAddress.getByAddress(a.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + a.getAddress().length + " bytes", e);
        }
    }

    private static String text(InetAddress a) {
        return a.getHostAddress();
    }

    private static InetAddress parse(String s) {
        return s.indexOf(':') >= 0 ? AddressLiteral.parse("[IPv6:" + s + "]") : AddressLiteral.parse("[" + s + "]");
    }
}
