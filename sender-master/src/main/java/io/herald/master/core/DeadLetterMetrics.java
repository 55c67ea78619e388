package io.herald.master.core;

import com.codahale.metrics.MetricRegistry;
import io.herald.common.loop.LoopRunner;
import io.herald.master.db.DeadLetterStore;
import java.time.Clock;
import java.time.Duration;

/**
 * The gauges {@code herald.dead_letters.count} and {@code herald.dead_letters.oldest_age_seconds}.
 * They are read from the database on a schedule, not per scrape: one indexed query every
 * {@code interval}. Between refreshes the oldest age keeps growing by this node's elapsed time, so
 * the gauge does not stand still while the database is not asked.
 */
public final class DeadLetterMetrics {
    private record Snapshot(long count, Duration oldestAge, long readAtMillis) {}

    private final DeadLetterStore store;
    private final Clock clock;
    private final LoopRunner loop;
    private volatile Snapshot snapshot;

    public DeadLetterMetrics(String nodeId, DeadLetterStore store, Duration interval, Clock clock, MetricRegistry metrics) {
        this.store = store;
        this.clock = clock;
        this.snapshot = new Snapshot(0, Duration.ZERO, clock.millis());
        this.loop = new LoopRunner("dead-letter-metrics", nodeId, clock, metrics.counter("herald.dead_letters.refresh_errors"),
                new LoopRunner.Backoff(interval, interval), () -> {
                    refreshOnce();
                    return interval;
                });
        metrics.gauge("herald.dead_letters.count", () -> this::count);
        metrics.gauge("herald.dead_letters.oldest_age_seconds", () -> this::oldestAgeSeconds);
    }

    public long count() {
        return snapshot.count();
    }

    public double oldestAgeSeconds() {
        Snapshot s = snapshot;
        if (s.count() == 0) {
            return 0;
        }
        long sinceRead = Math.max(0, clock.millis() - s.readAtMillis());
        return (s.oldestAge().toMillis() + sinceRead) / 1_000.0;
    }

    /** Reads the count and the oldest age once; the scheduled loop calls this, and so can tests. */
    public void refreshOnce() throws java.sql.SQLException {
        DeadLetterStore.Stats stats = store.stats();
        snapshot = new Snapshot(stats.count(), stats.oldestAge(), clock.millis());
    }

    /** Its loop, for the master's lifecycle. */
    public LoopRunner loop() {
        return loop;
    }
}
