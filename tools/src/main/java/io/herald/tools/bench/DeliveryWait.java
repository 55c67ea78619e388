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
            Thread.sleep(pollMillis);
        }
        return System.nanoTime();
    }
}
