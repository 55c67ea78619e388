package io.herald.master.core;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.herald.master.db.DeadLetterStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauges {@code herald.dead_letters.count} and {@code herald.dead_letters.oldest_age_seconds}.
 * They are read from the database on a schedule, not per scrape: one indexed query every
 * {@code interval}. Between refreshes the oldest age keeps growing by this node's elapsed time, so
 * the gauge does not stand still while the database is not asked.
 */
public final class DeadLetterMetrics implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterMetrics.class);

    private record Snapshot(long count, Duration oldestAge, long readAtMillis) {}

    private final String nodeId;
    private final DeadLetterStore store;
    private final Duration interval;
    private final Clock clock;
    private final Counter refreshErrors;
    private volatile Snapshot snapshot;
    private ScheduledExecutorService scheduler;

    public DeadLetterMetrics(String nodeId, DeadLetterStore store, Duration interval, Clock clock, MetricRegistry metrics) {
        this.nodeId = nodeId;
        this.store = store;
        this.interval = interval;
        this.clock = clock;
        this.snapshot = new Snapshot(0, Duration.ZERO, clock.millis());
        this.refreshErrors = metrics.counter("herald.dead_letters.refresh_errors");
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

    private void refreshAndCarryOn() {
        try {
            refreshOnce();
        } catch (Exception e) {
            refreshErrors.inc();
            LOG.warn("[{}] could not refresh the dead-letter gauges; will keep trying: {}", nodeId, e.getMessage());
        }
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dead-letter-metrics-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::refreshAndCarryOn, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() throws InterruptedException {
        scheduler.shutdownNow();
        if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
            LOG.warn("[{}] dead-letter gauges did not stop within 5 s", nodeId);
        }
    }
}
