package io.herald.common.channel;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A {@link Pacer} in this worker's memory: each key's next free slot, taken by compare-and-set so that two
 * sends never get one slot. Keys whose slot has passed are dropped once more than {@value #SWEEP_ABOVE} are
 * kept, so a worker that paced millions of URLs keeps only the recent ones.
 */
public final class LocalPacer implements Pacer {
    static final int SWEEP_ABOVE = 10_000;

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final ConcurrentMap<String, AtomicLong> nextSlot = new ConcurrentHashMap<>();

    public LocalPacer(double perSecond, LongSupplier nanoTime) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("a pace must be above 0 per second, not " + perSecond);
        }
        this.intervalNanos = Math.max(1, (long) (1e9 / perSecond));
        this.nanoTime = nanoTime;
    }

    @Override
    public Slot reserve(String key, Duration maxWait) {
        long now = nanoTime.getAsLong();
        AtomicLong slot = slot(key, now);
        while (true) {
            long next = slot.get();
            long start = next - now > 0 ? next : now;
            if (start - now > maxWait.toNanos()) {
                return new Slot(false, Duration.ofNanos(start - now));
            }
            if (slot.compareAndSet(next, start + intervalNanos)) {
                return start == now ? Slot.NOW : new Slot(true, Duration.ofNanos(start - now));
            }
        }
    }

    @Override
    public void holdOff(String key, Duration wait) {
        long now = nanoTime.getAsLong();
        long until = now + wait.toNanos();
        slot(key, now).accumulateAndGet(until, (current, proposed) -> proposed - current > 0 ? proposed : current);
    }

    @Override
    public Duration interval() {
        return Duration.ofNanos(intervalNanos);
    }

    private AtomicLong slot(String key, long now) {
        if (nextSlot.size() > SWEEP_ABOVE) {
            nextSlot.values().removeIf(s -> s.get() - now < 0);
        }
        return nextSlot.computeIfAbsent(key, k -> new AtomicLong(now));
    }

    /** Keys kept, for tests. */
    int keys() {
        return nextSlot.size();
    }
}
