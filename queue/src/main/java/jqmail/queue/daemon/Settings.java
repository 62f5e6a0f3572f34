package jqmail.queue.daemon;

import java.io.IOException;
import jqmail.common.Control;

/**
 * The queue daemon's control files, read at start and on SIGHUP.
 *
 * @param minFree     {@code control/queueminfree}: bytes the queue's file system keeps free;
 *                    below it injections are refused with a temporary code (default 50000000)
 * @param uidLimit    {@code control/queueuidlimit}: simultaneous injections per uid, for uids
 *                    that are not the home's own accounts (default 20)
 * @param totalLimit  {@code control/queuelimit}: simultaneous injections in all (default 400)
 * @param idleSeconds {@code control/timeoutqueue}: a client silent this long is dropped
 *                    (default 1200, qmail-smtpd's own read timeout, so a slow SMTP client
 *                    streaming through smtpd is not cut off first)
 */
record Settings(long minFree, int uidLimit, int totalLimit, int idleSeconds) {
    static final long DEFAULT_MIN_FREE = 50_000_000L;

    static Settings read(Control c) throws IOException {
        return new Settings(
            c.number("queueminfree", DEFAULT_MIN_FREE),
            (int) Math.min(Integer.MAX_VALUE, Math.max(1, c.number("queueuidlimit", 20))),
            (int) Math.min(Integer.MAX_VALUE, Math.max(1, c.number("queuelimit", 400))),
            (int) Math.min(Integer.MAX_VALUE / 1000, Math.max(1, c.number("timeoutqueue", 1200))));
    }
}
