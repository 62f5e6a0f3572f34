package jqmail.scripts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import jqmail.common.Address;
import jqmail.common.EnvelopeWriter;
import jqmail.common.Home;
import jqmail.common.InjectClient;
import jqmail.common.InjectResult;

/**
 * A load generator for scripts/bench-inject, not a program of the suite:
 * N threads inject M messages of S bytes through the injection socket, the
 * way long-lived front ends (smtpd, the scheduler's bounces) do, and one
 * line of results is printed.
 *
 * <pre>java -cp ... jqmail.scripts.InjectBench HOME CLIENTS MESSAGES SIZE</pre>
 */
public final class InjectBench {
    private InjectBench() {
    }

    public static void main(String[] args) throws Exception {
        Home home = new Home(java.nio.file.Path.of(args[0]));
        int clients = Integer.parseInt(args[1]);
        int messages = Integer.parseInt(args[2]);
        int size = Integer.parseInt(args[3]);
        byte[] body = body(size);
        byte[] envelope = new EnvelopeWriter().sender(new Address("bench@example.org"))
            .recipient(new Address("sink@example.net")).end().toByteArray();
        long[] latency = new long[messages];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Thread[] threads = new Thread[clients];
        long start = System.nanoTime();
        for (int t = 0; t < clients; t++) {
            threads[t] = new Thread(() -> {
                for (int i; (i = next.getAndIncrement()) < messages; ) {
                    long t0 = System.nanoTime();
                    if (!inject(home, body, envelope)) {
                        failed.incrementAndGet();
                    }
                    latency[i] = System.nanoTime() - t0;
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latency);
        System.out.printf(java.util.Locale.ROOT,
            "clients=%d messages=%d bytes=%d failed=%d seconds=%.3f msgs_per_s=%.1f latency_ms_p50=%.3f latency_ms_p99=%.3f%n",
            clients, messages, size, failed.get(), seconds, messages / seconds,
            latency[messages / 2] / 1e6, latency[(int) (messages * 0.99)] / 1e6);
        if (failed.get() > 0) {
            System.exit(1);
        }
    }

    private static boolean inject(Home home, byte[] body, byte[] envelope) {
        try (InjectClient c = InjectClient.connect(home.injectSocket())) {
            c.message().write(body);
            c.envelope(envelope);
            InjectResult r = c.commit();
            if (!r.ok()) {
                System.err.println("bench: " + r.code() + " " + r.text());
            }
            return r.ok();
        } catch (IOException e) {
            System.err.println("bench: " + e.getMessage());
            return false;
        }
    }

    private static byte[] body(int size) {
        StringBuilder b = new StringBuilder("Subject: bench\nFrom: bench@example.org\n\n");
        while (b.length() < size) {
            b.append("The quick brown fox jumps over the lazy dog. 0123456789 abcdefghijklmnopqrstuvwxyz\n");
        }
        b.setLength(size - 1);
        return b.append('\n').toString().getBytes(StandardCharsets.US_ASCII);
    }
}
