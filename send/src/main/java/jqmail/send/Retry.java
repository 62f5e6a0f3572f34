package jqmail.send;

/**
 * qmail-send's retry schedule, exactly: at the start of each pass the next
 * attempt is {@code birth + (floor(sqrt(now - birth)) + chanskip)^2} seconds,
 * with chanskip 10 for local deliveries and 20 for remote ones. Attempts
 * fall near (10k)^2 seconds after birth for local mail (0, 100 s, 400 s, 15
 * min ...) and (20k)^2 for remote mail (0, 6 min 40 s, 26 min 40 s, 1 h ...).
 */
final class Retry {
    static final long LOCAL_SKIP = 10;
    static final long REMOTE_SKIP = 20;

    private Retry() {
    }

    static long next(long birth, long now, long skip) {
        long age = Math.max(0, now - birth);
        long root = (long) Math.floor(Math.sqrt((double) age));
        while (root * root > age) {
            root--;
        }
        while ((root + 1) * (root + 1) <= age) {
            root++;
        }
        return birth + (root + skip) * (root + skip);
    }
}
