package io.herald.common.channel;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * A {@link Pacer} in this worker's memory: each key's next free slot, taken by compare-and-set so that two
 * sends never get one slot. The rate is shared by {@code sharedBy} workers pacing alike, so this one spaces a
 * key's sends that many intervals apart and all of them together keep to the rate. Keys whose slot has passed are dropped once more than {@value #SWEEP_ABOVE} are
 * kept, so a worker that paced millions of URLs keeps only the recent ones.
 */
public final class LocalPacer implements Pacer {
    static final int SWEEP_ABOVE = 10_000;
    private static final long LONGEST_INTERVAL_NANOS = Long.MAX_VALUE / 4;

    private final long intervalNanos;
    private final IntSupplier sharedBy;
    private final LongSupplier nanoTime;
    private final ConcurrentMap<String, AtomicLong> nextSlot = new ConcurrentHashMap<>();

    /**
     * @param perSecond sends per second to one key, by all the workers sharing it together
     * @param sharedBy how many workers share the rate now, at least 1 (read at every reservation)
     */
    public LocalPacer(double perSecond, IntSupplier sharedBy, LongSupplier nanoTime) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("a pace must be above 0 per second, not " + perSecond);
        }
        this.intervalNanos = Math.max(1, (long) (1e9 / perSecond));
        this.sharedBy = sharedBy;
        this.nanoTime = nanoTime;
    }

    @Override
    public Slot reserve(String key, Duration maxWait) {
        long now = nanoTime.getAsLong();
        AtomicLong slot = slot(key, now);
        long interval = interval(sharedBy.getAsInt());
        while (true) {
            long next = slot.get();
            long start = next - now > 0 ? next : now;
            if (start - now > maxWait.toNanos()) {
                return new Slot(false, Duration.ofNanos(start - now));
            }
            if (slot.compareAndSet(next, start + interval)) {
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

    /** The interval between two of this worker's sends to one key, at its present share. */
    @Override
    public Duration interval() {
        return Duration.ofNanos(interval(sharedBy.getAsInt()));
    }

    private long interval(int workers) {
        // Saturated, well inside the range where slots compare by difference: a tiny rate shared by many
        // workers is a long interval, never an overflow.
        long shares = Math.max(1, workers);
        return intervalNanos > LONGEST_INTERVAL_NANOS / shares ? LONGEST_INTERVAL_NANOS : intervalNanos * shares;
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
