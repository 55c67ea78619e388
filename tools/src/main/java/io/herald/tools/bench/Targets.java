package io.herald.tools.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the bench's webhooks go: round robin over the healthy destinations and, with
 * {@code --slow-receiver}, the slow one as one more in the rotation; counts how many went to it, so the
 * healthy ones' deliveries can be awaited and their throughput measured apart.
 */
final class Targets {
    private final List<String> rotation;
    private final String slow;
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong toSlow = new AtomicLong();

    Targets(List<String> healthy, String slow) {
        this.rotation = new ArrayList<>(healthy);
        this.slow = slow;
        if (slow != null) {
            rotation.add(slow);
        }
    }

    static Targets of(String only) {
        return new Targets(List.of(only), null);
    }

    String next() {
        String target = rotation.get((int) (next.getAndIncrement() % rotation.size()));
        if (target.equals(slow)) {
            toSlow.incrementAndGet();
        }
        return target;
    }

    /** Messages handed to the slow destination so far. */
    long toSlow() {
        return toSlow.get();
    }
}
