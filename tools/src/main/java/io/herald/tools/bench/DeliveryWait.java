package io.herald.tools.bench;

import java.time.Duration;
import java.util.function.IntSupplier;

/** Waits for deliveries to arrive, with a progress line every second, and gives up after a minute without any. */
final class DeliveryWait {
    static final Duration STALL_LIMIT = Duration.ofSeconds(60);

    private DeliveryWait() {}

    /** Returns the moment (System.nanoTime) the last of {@code expected} arrived, or the moment it gave up. */
    static long await(int expected, IntSupplier delivered, long start, long pollMillis) throws InterruptedException {
        int last = -1;
        long lastChange = System.nanoTime();
        long lastPrint = 0;
        int lastPrinted = 0;
        int now;
        while ((now = delivered.getAsInt()) < expected) {
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > STALL_LIMIT.toNanos()) {
                Bench.progress("no delivery for %d s; stopping with %,d of %,d delivered", STALL_LIMIT.toSeconds(), now, expected);
                break;
            }
            if (System.nanoTime() - lastPrint >= 1_000_000_000L) {
                Bench.progress("%5.1f s  delivered %,d / %,d  (%,d/s now)", (System.nanoTime() - start) / 1e9, now, expected,
                        lastPrint == 0 ? 0 : now - lastPrinted);
                lastPrint = System.nanoTime();
                lastPrinted = now;
            }
            Thread.sleep(nextPoll(expected - now, now, System.nanoTime() - start, pollMillis));
        }
        return System.nanoTime();
    }

    /**
     * How long to wait before asking again: a quarter of the time the rest should take at the rate so
     * far, between {@code pollMillis} and a second. Far from the end the bench asks rarely (asking costs
     * the nodes CPU: the log channel's count is a worker's whole metrics page), near it every {@code
     * pollMillis}, so the end is still timed to within {@code pollMillis}.
     */
    static long nextPoll(int remaining, int delivered, long elapsedNanos, long pollMillis) {
        if (delivered <= 0 || elapsedNanos <= 0) {
            return pollMillis;
        }
        double etaMillis = remaining * (elapsedNanos / 1e6) / delivered;
        return Math.max(pollMillis, Math.min(1_000, (long) (etaMillis / 4)));
    }
}
