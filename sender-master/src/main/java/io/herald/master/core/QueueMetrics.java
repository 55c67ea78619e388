package io.herald.master.core;

import com.codahale.metrics.MetricRegistry;
import io.herald.common.loop.LoopRunner;
import io.herald.common.metrics.ApplicationLabels;
import io.herald.common.model.Priority;
import io.herald.master.db.QueueStatsStore;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The backlog gauges, set by the leader only, so that a sum over masters is the cluster's:
 * {@code herald_queue_messages{application,priority}} (queued messages, each group counted up to
 * {@code metrics.queueCountCap}), {@code herald_queue_oldest_age_seconds{application,priority}} (how
 * long the group's oldest due message has waited) and {@code herald_unknown_messages}. Read from the
 * database every {@code metrics.queueInterval}, never per scrape; a master that is not leading shows no
 * backlog series and 0 unknown messages.
 * Applications past the label cap are summed (counts) or maxed (ages) into {@code other}.
 */
public final class QueueMetrics {
    private record Key(String application, String priority) {}

    private final QueueStatsStore store;
    private final ApplicationLabels applications;
    private final BooleanSupplier leading;
    private final Gauge queued;
    private final Gauge oldestAge;
    private final Gauge unknown;
    private final LoopRunner loop;

    public QueueMetrics(String nodeId, QueueStatsStore store, ApplicationLabels applications, BooleanSupplier leading,
                        Duration interval, Clock clock, MetricRegistry metrics, PrometheusRegistry prometheus) {
        this.store = store;
        this.applications = applications;
        this.leading = leading;
        this.queued = Gauge.builder().name("herald_queue_messages").help("Queued messages (leader only)")
                .labelNames("application", "priority").register(prometheus);
        this.oldestAge = Gauge.builder().name("herald_queue_oldest_age_seconds")
                .help("How long the oldest due queued message has waited (leader only)")
                .labelNames("application", "priority").register(prometheus);
        this.unknown = Gauge.builder().name("herald_unknown_messages")
                .help("Messages whose outcome is unknown, waiting for an operator (leader only)").register(prometheus);
        this.loop = new LoopRunner("queue-metrics", nodeId, clock, metrics.counter("herald.master.queue_metrics_errors"),
                new LoopRunner.Backoff(interval, interval), () -> {
                    refreshOnce();
                    return interval;
                });
    }

    /** Reads the backlog once if leading, else clears the gauges; the loop calls this, and so can tests. */
    public void refreshOnce() throws java.sql.SQLException {
        if (!leading.getAsBoolean()) {
            clear();
            return;
        }
        QueueStatsStore.Stats stats = store.read();
        Map<Key, long[]> byLabel = new HashMap<>();
        for (QueueStatsStore.Group g : stats.queued()) {
            long[] sums = byLabel.computeIfAbsent(
                    new Key(applications.of(g.application()), Priority.fromRank(g.priority()).wireName()), k -> new long[2]);
            sums[0] += g.count();
            sums[1] = Math.max(sums[1], g.oldestDueAge().toMillis());
        }
        Set<List<String>> present = new HashSet<>();
        byLabel.forEach((key, sums) -> {
            queued.labelValues(key.application(), key.priority()).set(sums[0]);
            oldestAge.labelValues(key.application(), key.priority()).set(sums[1] / 1e3);
            present.add(List.of(key.application(), key.priority()));
        });
        // A group that emptied since the last read must disappear, not stay at its last value.
        queued.removeIf(labels -> !present.contains(labels));
        oldestAge.removeIf(labels -> !present.contains(labels));
        unknown.set(stats.unknown());
    }

    private void clear() {
        queued.clear();
        oldestAge.clear();
        // An unlabelled gauge always has its one point: 0 here, so that a sum over masters is the leader's.
        unknown.set(0);
    }

    public LoopRunner loop() {
        return loop;
    }
}
