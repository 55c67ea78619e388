package io.herald.tools.drill;

import io.herald.tools.cluster.Probes;
import java.time.Duration;

/** The drill's clock: conditions waited for quietly, and the length of a fault. */
final class Waits {
    private Waits() {}

    static boolean awaitQuietly(Duration limit, Probes.Condition condition) throws Exception {
        try {
            Probes.awaitCondition(limit, "condition", condition);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** Waits until {@code millis} have passed since {@code startNanos}: the length of a fault, not a guess at a condition. */
    static void awaitMillisSince(long startNanos, long millis) throws InterruptedException {
        long remaining;
        while ((remaining = millis - millisSince(startNanos)) > 0) {
            Thread.sleep(Math.min(remaining, 100));
        }
    }
}
