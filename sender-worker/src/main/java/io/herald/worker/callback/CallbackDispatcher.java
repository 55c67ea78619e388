package io.herald.worker.callback;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.herald.common.loop.LoopRunner;
import io.herald.worker.core.RetryPolicy;
import io.herald.common.channel.SendResult;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers status callbacks from every worker. Workers, not the leader, send them: they are outbound
 * HTTP like webhooks, they scale out with the workers, and the callback lease in MySQL needs no leader, so
 * a failover of the leader does not pause them. Each round leases a batch of due callbacks, sends them
 * all at once, and records each outcome; a full batch is followed at once, otherwise the loop waits
 * {@code pollInterval}. The loop runs on a {@link LoopRunner}: a failed round is counted and retried after
 * a backoff, and what it leased lapses and is leased again.
 */
public final class CallbackDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackDispatcher.class);

    private final String workerId;
    private final CallbackLeases store;
    private final CallbackSender sender;
    private final RetryPolicy retries;
    private final int batchSize;
    private final Duration lease;
    private final Duration pollInterval;
    private final Meter delivered;
    private final Meter retried;
    private final Meter failed;
    private final Counter errors;
    private final LoopRunner loop;

    public CallbackDispatcher(String workerId, CallbackLeases store, CallbackSender sender, RetryPolicy retries,
                              int batchSize, Duration lease, Duration pollInterval, Clock clock, MetricRegistry metrics) {
        this.workerId = workerId;
        this.store = store;
        this.sender = sender;
        this.retries = retries;
        this.batchSize = batchSize;
        this.lease = lease;
        this.pollInterval = pollInterval;
        this.delivered = metrics.meter("herald.callbacks.delivered");
        this.retried = metrics.meter("herald.callbacks.retried");
        this.failed = metrics.meter("herald.callbacks.failed");
        this.errors = metrics.counter("herald.callbacks.loop_errors");
        // A failed round is waited out at least half a second, as before the loop runner.
        Duration backoff = pollInterval.compareTo(Duration.ofMillis(500)) > 0 ? pollInterval : Duration.ofMillis(500);
        this.loop = new LoopRunner("callbacks", workerId, clock, errors, new LoopRunner.Backoff(backoff, backoff),
                () -> runOnce() < batchSize ? this.pollInterval : Duration.ZERO);
    }

    /** Its loop, for the worker's lifecycle. */
    public LoopRunner loop() {
        return loop;
    }

    /** One round: lease, send, record. Returns how many callbacks were leased. */
    public int runOnce() throws SQLException, InterruptedException {
        List<CallbackLeases.Due> due = store.lease(batchSize, lease);
        List<CompletableFuture<SendResult>> sends = due.stream().map(sender::send).toList();
        long deadline = System.nanoTime() + lease.toNanos();
        // Outcomes are written here, not on the HTTP client's threads, which webhooks share.
        for (int i = 0; i < due.size(); i++) {
            try {
                record(due.get(i), sends.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("[{}] callback {} got no outcome within its lease; it will be retried: {}", workerId, due.get(i).id(), e.toString());
            }
        }
        return due.size();
    }

    private void record(CallbackLeases.Due d, SendResult result) {
        try {
            if (result instanceof SendResult.Sent) {
                delivered.mark(store.delivered(d) ? 1 : 0);
            } else if (result instanceof SendResult.Deferred deferred) {
                store.notAttempted(d, deferred.reason(), deferred.delay());
            } else if (result instanceof SendResult.Transient t && retries.mayRetry(d.attempt())) {
                retried.mark(store.retry(d, t.error(), retries.delay(d.attempt(), t.retryAfter())) ? 1 : 0);
            } else {
                String error = result instanceof SendResult.Transient t ? t.error() : ((SendResult.Permanent) result).error();
                failed.mark(store.failed(d, error) ? 1 : 0);
            }
        } catch (SQLException e) {
            errors.inc();
            LOG.warn("[{}] could not record the outcome of callback {}; it is retried after its lease: {}", workerId, d.id(), e.getMessage());
        }
    }
}
