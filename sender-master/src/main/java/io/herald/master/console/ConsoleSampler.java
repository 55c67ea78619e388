package io.herald.master.console;

import com.codahale.metrics.MetricRegistry;
import io.herald.common.loop.LoopRunner;
import io.herald.common.zk.NodeInfo;
import io.herald.master.db.ConsoleSampleStore;
import io.herald.master.db.DeadLetterStore;
import io.herald.master.resources.ClusterResource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's history: every {@code master.consoleSampleInterval}, on the leader only, one sample into
 * {@code console_sample}: each live worker's counters (from its {@code /prometheus}), the backlog by
 * application and priority, the dead letters and unknown messages, and the end-to-end latency of the
 * messages created during the interval before the last one (most of them final by now). Samples
 * older than {@link #KEEP} are deleted in the same iteration. Any master reads the table, so the
 * console shows the same hour on every master, and a failover costs at most one interval.
 */
public final class ConsoleSampler {
    /** How long samples are kept: the console shows one hour; the rest is slack for late readers. */
    static final Duration KEEP = Duration.ofHours(2);
    /** At most this many messages are read for one latency point. */
    static final int LATENCY_SAMPLE = 2_000;

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSampler.class);

    private final String nodeId;
    private final ConsoleSampleStore store;
    private final DeadLetterStore deadLetters;
    private final ClusterResource cluster;
    private final NodeProbe probe;
    private final BooleanSupplier leading;
    private final LoopRunner loop;

    public ConsoleSampler(String nodeId, ConsoleSampleStore store, DeadLetterStore deadLetters, ClusterResource cluster, NodeProbe probe,
                          BooleanSupplier leading, Duration interval, Clock clock, MetricRegistry metrics) {
        this.nodeId = nodeId;
        this.store = store;
        this.deadLetters = deadLetters;
        this.cluster = cluster;
        this.probe = probe;
        this.leading = leading;
        this.loop = new LoopRunner("console-sampler", nodeId, clock, metrics.counter("herald.console.sample_errors"),
                new LoopRunner.Backoff(interval, interval), () -> {
                    runOnce();
                    return interval;
                });
    }

    /** Takes one sample if this master leads; the loop calls this, and so do tests. */
    public boolean runOnce() throws Exception {
        if (!leading.getAsBoolean()) {
            return false;
        }
        List<ConsoleSampleStore.Row> rows = new ArrayList<>(workerRows());
        store.backlog().forEach(b -> rows.add(new ConsoleSampleStore.Row(Series.BACKLOG,
                b.priority().wireName() + ":" + b.application(), b.messages())));
        rows.add(new ConsoleSampleStore.Row(Series.DEAD, "", deadLetters.stats().count()));
        rows.add(new ConsoleSampleStore.Row(Series.UNKNOWN, "", store.unknownMessages()));
        rows.addAll(latencyRows());
        store.maxId().ifPresent(id -> rows.add(new ConsoleSampleStore.Row(Series.MAX_ID, "", id)));
        store.write(rows);
        int pruned = store.prune(KEEP);
        LOG.debug("[{}] console sample: {} row(s) written, {} old row(s) deleted", nodeId, rows.size(), pruned);
        return true;
    }

    private List<ConsoleSampleStore.Row> workerRows() throws Exception {
        List<NodeInfo> workers = cluster.full().workers();
        Map<NodeInfo, CompletableFuture<WorkerCounters>> asked = new java.util.LinkedHashMap<>();
        workers.forEach(w -> asked.put(w, probe.counters(w)));
        List<ConsoleSampleStore.Row> rows = new ArrayList<>();
        for (Map.Entry<NodeInfo, CompletableFuture<WorkerCounters>> entry : asked.entrySet()) {
            WorkerCounters counters = entry.getValue().join(); // bounded by the probe's timeout; null if it did not answer
            if (counters != null) {
                String id = entry.getKey().id();
                rows.add(new ConsoleSampleStore.Row(Series.WORKER_SENT, id, counters.sent()));
                rows.add(new ConsoleSampleStore.Row(Series.WORKER_FAILED, id, counters.failed()));
                rows.add(new ConsoleSampleStore.Row(Series.WORKER_RETRIED, id, counters.retried()));
                rows.add(new ConsoleSampleStore.Row(Series.WORKER_IN_FLIGHT, id, counters.inFlight()));
                rows.add(new ConsoleSampleStore.Row(Series.WORKER_TASKS_HELD, id, counters.tasksHeld()));
            }
        }
        return rows;
    }

    /** The latency of the messages created between the two samples before this one. */
    private List<ConsoleSampleStore.Row> latencyRows() throws Exception {
        List<Double> lastIds = store.lastValues(Series.MAX_ID, 2);
        if (lastIds.size() < 2) {
            return List.of();
        }
        long to = lastIds.get(0).longValue();
        long from = lastIds.get(1).longValue();
        ConsoleSampleStore.Latency latency = store.latency(from, to, LATENCY_SAMPLE);
        List<ConsoleSampleStore.Row> rows = new ArrayList<>();
        rows.add(new ConsoleSampleStore.Row(Series.LATENCY_OPEN, "", latency.open()));
        List<Double> sorted = latency.seconds().stream().sorted().toList();
        if (!sorted.isEmpty()) {
            rows.add(new ConsoleSampleStore.Row(Series.LATENCY_P50, "", quantile(sorted, 0.50)));
            rows.add(new ConsoleSampleStore.Row(Series.LATENCY_P95, "", quantile(sorted, 0.95)));
            rows.add(new ConsoleSampleStore.Row(Series.LATENCY_MAX, "", sorted.get(sorted.size() - 1)));
        }
        return rows;
    }

    /** The nearest-rank quantile of sorted values. */
    static double quantile(List<Double> sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    /** Its loop, for the master's lifecycle. */
    public LoopRunner loop() {
        return loop;
    }
}
