package jqmail.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupSyncTest {
    @Test
    void commitsWaitingBehindOneFsyncShareTheNext() throws Exception {
        AtomicInteger flushes = new AtomicInteger();
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        GroupSync g = new GroupSync(() -> {
            if (flushes.incrementAndGet() == 1) {
                firstStarted.countDown();
                try {
                    releaseFirst.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<?>> done = new ArrayList<>();
        done.add(pool.submit(() -> {
            g.sync();
            return null;
        }));
        firstStarted.await();
        CountDownLatch queued = new CountDownLatch(19);
        for (int i = 0; i < 19; i++) {
            done.add(pool.submit(() -> {
                queued.countDown();
                g.sync();
                return null;
            }));
        }
        queued.await();
        // Every waiter has taken its ticket once it blocks on the monitor; give them that moment.
        while (g.waiting() < 19) {
            Thread.onSpinWait();
        }
        releaseFirst.countDown();
        for (Future<?> f : done) {
            f.get(10, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(2, flushes.get(), "20 commits, one fsync running and one for all that waited");
    }

    @Test
    void aFailedFsyncFailsItsWaitersAndTheNextCallTriesAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        GroupSync g = new GroupSync(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IOException("EIO");
            }
        });
        assertThrows(IOException.class, g::sync);
        g.sync();
        assertEquals(2, calls.get());
        assertTrue(g.fsyncCount() >= 2);
    }
}
