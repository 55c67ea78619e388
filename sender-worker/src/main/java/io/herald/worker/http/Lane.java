package io.herald.worker.http;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One destination's lane: how many requests it may have in flight (a limit that adapts, AIMD), the
 * requests waiting behind that limit, and a circuit breaker that pauses the destination after
 * consecutive failures and then lets one probe at a time check whether it is back.
 *
 * <p>The queue holds what the destination can take within {@code maxQueueWait} at its current pace
 * (Little's law: limit × maxQueueWait / its average answer time), at most {@code maxQueued}; before
 * its first answer, eight times its initial limit. The newest beyond a shrunken bound go back. Past that, requests are handed back unsent. So a fast
 * destination may use most of a worker's send permits, and a slow one holds only a few.
 *
 * <p>All state is guarded by the lane's monitor; the work a decision starts (a request, a deferral)
 * runs after the monitor is released.
 */
final class Lane {
    enum Health { FLOWING, PAUSED, PROBING }

    /** How an answered or failed request bears on the destination's health. */
    enum Verdict {
        /** Answered fast: the limit may grow. */
        GOOD,
        /** Answered, but slowly: the limit shrinks; the destination is not failing. */
        SLOW,
        /** Timed out, could not connect, 5xx or 429: the limit shrinks and the failure counts to a pause. */
        FAILED,
        /** Says nothing about the destination (a request refused before it was sent). */
        NEUTRAL
    }

    /** A request waiting for the lane: {@code start} sends it, {@code defer} gives it back unsent. */
    interface Waiter {
        void start(boolean probe);

        void defer(String reason, Duration wait);
    }

    /** The settings every lane shares. */
    record Settings(int initialLimit, int maxLimit, int maxQueued, Duration maxQueueWait, int pauseAfterFailures, Duration pause) {}

    /** Before its first answer a destination's pace is unknown: it may queue this many times its initial limit. */
    private static final int UNMEASURED_QUEUE_PER_LIMIT = 8;
    /** Weight of the newest answer in the average answer time. */
    private static final double LATENCY_WEIGHT = 0.2;

    private final String destination;
    private final Settings settings;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private double limit;
    private int inFlight;
    private int consecutiveFailures;
    private Health health = Health.FLOWING;
    private long pausedUntilNanos;
    private long lastUsedNanos;
    /** The average answer time (an exponentially weighted mean); 0 until the first answer. */
    private double latencyNanos;

    Lane(String destination, Settings settings, long nowNanos) {
        this.destination = destination;
        this.settings = settings;
        this.limit = settings.initialLimit();
        this.lastUsedNanos = nowNanos;
    }

    /** Starts the request now, queues it, or defers it (the destination is paused or its queue is full). */
    void admit(Waiter waiter, long nowNanos) {
        Runnable next;
        synchronized (this) {
            lastUsedNanos = nowNanos;
            next = decide(waiter, nowNanos);
        }
        next.run();
    }

    private Runnable decide(Waiter waiter, long nowNanos) {
        if (health == Health.PAUSED && nowNanos - pausedUntilNanos >= 0) {
            health = Health.PROBING;
            inFlight++;
            return () -> waiter.start(true);
        }
        if (health != Health.FLOWING) {
            String reason = "destination " + destination + " paused after " + consecutiveFailures + " consecutive failures"
                    + (health == Health.PROBING ? "; a probe is checking it" : "");
            Duration wait = health == Health.PAUSED ? Duration.ofNanos(pausedUntilNanos - nowNanos) : settings.pause();
            return () -> waiter.defer(reason, wait);
        }
        if (inFlight < currentLimit()) {
            inFlight++;
            return () -> waiter.start(false);
        }
        if (waiting.size() < queueBound()) {
            waiting.add(waiter);
            return () -> {};
        }
        return busy(waiter);
    }

    private Runnable busy(Waiter waiter) {
        String reason = "destination " + destination + " busy: " + inFlight + " in flight, " + waiting.size() + " waiting";
        return () -> waiter.defer(reason, settings.maxQueueWait());
    }

    /** How many may wait: what the destination answers within maxQueueWait at its pace, at most maxQueued. */
    private int queueBound() {
        if (latencyNanos == 0) {
            return Math.min(settings.maxQueued(), UNMEASURED_QUEUE_PER_LIMIT * settings.initialLimit());
        }
        double bound = currentLimit() * (settings.maxQueueWait().toNanos() / latencyNanos);
        return (int) Math.min(settings.maxQueued(), bound);
    }

    /**
     * A request of this lane finished after {@code elapsedNanos}; starts waiting ones as the new limit
     * allows, hands back those beyond the new queue bound, or all of them if the destination is paused.
     */
    void finished(Verdict verdict, boolean probe, long elapsedNanos, long nowNanos) {
        List<Runnable> next = new ArrayList<>();
        synchronized (this) {
            inFlight--;
            lastUsedNanos = nowNanos;
            if (verdict != Verdict.NEUTRAL) {
                latencyNanos = latencyNanos == 0 ? elapsedNanos : latencyNanos + LATENCY_WEIGHT * (elapsedNanos - latencyNanos);
            }
            judge(verdict, probe, nowNanos);
            release(next, nowNanos);
        }
        next.forEach(Runnable::run);
    }

    private void judge(Verdict verdict, boolean probe, long nowNanos) {
        switch (verdict) {
            case GOOD -> {
                consecutiveFailures = 0;
                if (probe || health == Health.PROBING) {
                    health = Health.FLOWING;
                    limit = settings.initialLimit();
                } else if (inFlight + waiting.size() + 1 >= currentLimit()) {
                    // Grow only while the lane uses its limit: an idle lane learns nothing about capacity.
                    limit = Math.min(settings.maxLimit(), limit + 1);
                }
            }
            case SLOW -> {
                consecutiveFailures = 0;
                if (probe) {
                    health = Health.FLOWING;
                }
                limit = Math.max(1, limit / 2);
            }
            case FAILED -> {
                consecutiveFailures++;
                limit = Math.max(1, limit / 2);
                if (probe || (health == Health.FLOWING && consecutiveFailures >= settings.pauseAfterFailures())) {
                    health = Health.PAUSED;
                    pausedUntilNanos = nowNanos + settings.pause().toNanos();
                }
            }
            case NEUTRAL -> {
                if (probe) {
                    health = Health.PAUSED; // the probe told nothing; the next request probes
                    pausedUntilNanos = nowNanos;
                }
            }
        }
    }

    private void release(List<Runnable> next, long nowNanos) {
        if (health != Health.FLOWING) {
            Waiter w;
            while ((w = waiting.poll()) != null) {
                Waiter deferred = w;
                String reason = "destination " + destination + " paused after " + consecutiveFailures + " consecutive failures";
                Duration wait = Duration.ofNanos(Math.max(0, pausedUntilNanos - nowNanos));
                next.add(() -> deferred.defer(reason, wait));
            }
            return;
        }
        while (inFlight < currentLimit() && !waiting.isEmpty()) {
            Waiter w = waiting.poll();
            inFlight++;
            next.add(() -> w.start(false));
        }
        // The destination slowed down: the newest waiting beyond what it can now take go back.
        while (waiting.size() > queueBound()) {
            next.add(busy(waiting.pollLast()));
        }
    }

    private int currentLimit() {
        return (int) limit;
    }

    synchronized boolean idleSince(long cutoffNanos) {
        return inFlight == 0 && waiting.isEmpty() && health == Health.FLOWING && lastUsedNanos - cutoffNanos < 0;
    }

    /** A consistent picture of the lane, for metrics and tests. */
    record Snapshot(String destination, int limit, int inFlight, int waiting, Health health) {
        int load() {
            return inFlight + waiting;
        }
    }

    synchronized Snapshot snapshot() {
        return new Snapshot(destination, currentLimit(), inFlight, waiting.size(), health);
    }
}
