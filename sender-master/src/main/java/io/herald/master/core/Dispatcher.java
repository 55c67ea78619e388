package io.herald.master.core;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.dropwizard.lifecycle.Managed;
import io.herald.common.config.MasterConfig;
import io.herald.common.metrics.Histograms;
import io.herald.common.metrics.PrometheusEndpoint;
import io.herald.common.loop.LoopRunner;
import io.herald.common.queue.DispatchTask;
import io.herald.common.queue.TaskPublisher;
import io.herald.master.db.ClaimStore;
import io.herald.master.db.ClaimStore.Claim;
import io.herald.master.db.FencedOutException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The leader's loop: claim due messages in batches under the fencing token (the fenced claim), and queue
 * their ids as queue tasks for the workers. Standby masters run the loop too but do nothing until they
 * hold a term. Leases are expired by {@link LeaseReaper}, a loop of its own.
 *
 * <p>Order of effects in one iteration: the fenced claim commits (messages become dispatched with a
 * lease), then the tasks are put in ZooKeeper. A leader that dies between the two leaves the messages
 * dispatched but unqueued; their lease expires and the next leader dispatches them again. Stopping never
 * lands between the two: the {@link LoopRunner} lets an iteration finish.
 *
 * <p>A leader whose database is unreachable for {@link MasterConfig#databaseFailureStepDown} steps down
 * so another master can try.
 */
public final class Dispatcher implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final Duration DATABASE_WARNING_INTERVAL = Duration.ofSeconds(5);

    private final String nodeId;
    private final MasterConfig config;
    private final ClaimStore store;
    private final TaskPublisher queue;
    private final Leadership leadership;
    private final Clock clock;
    private final Duration pollInterval;
    private final Meter dispatched;
    private final DistributionDataPoint lagSeconds;
    /** In /metrics only, for the bench's percentiles from its reservoir; /prometheus has {@link #claimSeconds}. */
    private final Timer claimTime;
    private final DistributionDataPoint claimSeconds;
    private final AtomicLong lastLagMicros = new AtomicLong();
    private final LoopRunner loop;
    private Instant databaseFailingSince;
    private Instant lastDatabaseWarning = Instant.MIN;

    public Dispatcher(String nodeId, MasterConfig config, ClaimStore store, TaskPublisher queue,
                      Leadership leadership, Clock clock, MetricRegistry metrics, PrometheusRegistry prometheus) {
        this.nodeId = nodeId;
        this.config = config;
        this.store = store;
        this.queue = queue;
        this.leadership = leadership;
        this.clock = clock;
        this.pollInterval = Duration.ofMillis(config.pollInterval.toMilliseconds());
        this.dispatched = metrics.meter("herald.master.messages_dispatched");
        this.lagSeconds = Histograms.seconds(prometheus, "herald_dispatch_lag_seconds",
                "How late the most overdue message of each claim was dispatched, behind its due time",
                Histograms.LONG_SECONDS).labelValues();
        this.claimTime = metrics.timer(PrometheusEndpoint.CLAIM_TIMER);
        this.claimSeconds = Histograms.seconds(prometheus, "herald_claim_duration_seconds",
                "The leader's fenced claim transaction", Histograms.SHORT_SECONDS).labelValues();
        metrics.gauge("herald.master.dispatch_lag_last_seconds", () -> () -> lastLagMicros.get() / 1e6);
        metrics.gauge("herald.master.is_leader", () -> () -> leadership.currentTerm().isPresent() ? 1 : 0);
        this.loop = new LoopRunner("dispatcher", nodeId, clock, metrics.counter("herald.master.dispatch_loop_errors"),
                // Capped at a second, so a leader whose database is gone still notices within about
                // a second of master.databaseFailureStepDown.
                new LoopRunner.Backoff(pollInterval, Duration.ofSeconds(1)),
                // Idle: poll. A full batch: more may be due, claim again at once.
                () -> runOnce() < config.claimBatchSize ? pollInterval : Duration.ZERO);
        leadership.addListener(this::wakeUp);
    }

    /** Asks the loop to look for work now (new messages, requeued ones, or a term began). */
    public void wakeUp() {
        loop.wakeUp();
    }

    @Override
    public void start() throws Exception {
        queue.ensurePaths();
        loop.start();
    }

    @Override
    public void stop() throws InterruptedException {
        loop.stop();
    }

    /**
     * One iteration: claim and queue one batch if this node leads. A fenced-out claim steps down.
     *
     * @return how many messages were dispatched
     * @throws Exception when the claim or the put failed; the loop counts it and backs off
     */
    public int runOnce() throws Exception {
        Optional<Leadership.Term> term = leadership.currentTerm();
        if (term.isEmpty()) {
            databaseFailingSince = null;
            return 0;
        }
        Instant started = clock.instant();
        try {
            int claimed = dispatchBatch(term.get());
            databaseFailingSince = null;
            return claimed;
        } catch (FencedOutException e) {
            LOG.warn("[{}] {}; stepping down", nodeId, e.getMessage());
            leadership.stepDown("fenced out");
        } catch (SQLException e) {
            onDatabaseFailure(e, started);
            throw e;
        }
        return 0;
    }

    private int dispatchBatch(Leadership.Term term) throws Exception {
        int room = (config.maxQueuedTasks - queue.size()) * config.taskSize;
        int limit = Math.min(config.claimBatchSize, room);
        // Checked again right before the write: the term may have ended while we read the queue.
        if (limit <= 0 || !term.isValid()) {
            return 0;
        }
        long started = System.nanoTime();
        Claim claim = store.claim(term.token(), nodeId, limit, Duration.ofMillis(config.dispatchLease.toMilliseconds()));
        long nanos = System.nanoTime() - started;
        claimTime.update(nanos, TimeUnit.NANOSECONDS);
        claimSeconds.observe(nanos / 1e9);
        if (claim.paused() || claim.messageIds().isEmpty()) {
            return 0;
        }
        queue.put(tasks(term.token(), claim.messageIds()));
        dispatched.mark(claim.messageIds().size());
        lagSeconds.observe(claim.maxLagMicros() / 1e6);
        lastLagMicros.set(claim.maxLagMicros());
        return claim.messageIds().size();
    }

    private List<DispatchTask> tasks(long token, List<Long> ids) {
        List<DispatchTask> tasks = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += config.taskSize) {
            tasks.add(new DispatchTask(token, ids.subList(from, Math.min(ids.size(), from + config.taskSize))));
        }
        return tasks;
    }

    /** {@code started}: when the failed iteration began; a call that hung until its timeout counts in full. */
    private void onDatabaseFailure(SQLException e, Instant started) {
        Instant now = clock.instant();
        if (databaseFailingSince == null) {
            databaseFailingSince = started;
        }
        Duration failing = Duration.between(databaseFailingSince, now);
        // The loop retries every poll interval; one warning every few seconds says enough.
        if (Duration.between(lastDatabaseWarning, now).compareTo(DATABASE_WARNING_INTERVAL) >= 0) {
            lastDatabaseWarning = now;
            LOG.warn("[{}] database unavailable for {} ms: {}", nodeId, failing.toMillis(), e.getMessage());
        }
        if (failing.toMillis() >= config.databaseFailureStepDown.toMilliseconds()) {
            databaseFailingSince = null;
            leadership.stepDown("database unreachable for " + failing.toMillis() + " ms");
        }
    }
}
