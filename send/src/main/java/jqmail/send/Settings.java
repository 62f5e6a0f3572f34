package jqmail.send;

import java.io.IOException;
import jqmail.common.Control;
import jqmail.common.Routing;

/**
 * qmail-send's control files, reread on SIGHUP (all of them, not only locals
 * and virtualdomains as qmail does).
 *
 * <pre>
 * concurrencylocal, concurrencyremote   parallel deliveries, remote ones counted by transaction (10, 20; 0 holds)
 * maxrcptremote                         recipients of one message at one domain per remote transaction (100)
 * queuelifetime                         seconds before a temporary failure becomes permanent (604800)
 * bouncefrom, bouncehost                the bounce's From: (MAILER-DAEMON @ me)
 * doublebounceto, doublebouncehost      where bounces that bounce go (postmaster @ me)
 * locals, virtualdomains, envnoathost   which recipients are local (see Routing)
 * </pre>
 */
record Settings(String me, int concurrencyLocal, int concurrencyRemote, int maxRcptRemote, long queueLifetime,
                String bounceFrom, String bounceHost, String doubleBounceTo, String doubleBounceHost, Routing routing) {
    static Settings read(Control c) throws IOException {
        String me = c.me();
        return new Settings(me, (int) Math.min(1000, c.number("concurrencylocal", 10)),
            (int) Math.min(1000, c.number("concurrencyremote", 20)),
            (int) Math.min(10_000, Math.max(1, c.number("maxrcptremote", 100))), c.number("queuelifetime", 604_800),
            c.line("bouncefrom", "MAILER-DAEMON"), c.line("bouncehost", me), c.line("doublebounceto", "postmaster"),
            c.line("doublebouncehost", me), Routing.read(c));
    }
}
