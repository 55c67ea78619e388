package io.herald.worker.callback;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.herald.worker.core.RetryPolicy;
import io.herald.worker.core.SendResult;
import io.herald.worker.db.CallbackStore;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers status callbacks from every worker. Workers, not the leader, send them: they are outbound
 * HTTP like webhooks, they scale out with the workers, and the claim in MySQL needs no leader, so a
 * failover of the leader does not pause them. Each round claims a batch of due callbacks, sends them
 * all at once, and records each outcome; a full batch is followed at once, otherwise the loop waits
 * {@code pollInterval}.
 */
public final class CallbackDispatcher implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackDispatcher.class);

    private enum State { LATENT, STARTED, CLOSED }

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final String workerId;
    private final CallbackStore store;
    private final CallbackSender sender;
    private final RetryPolicy retries;
    private final int batchSize;
    private final Duration lease;
    private final long pollMillis;
    private final Meter delivered;
    private final Meter retried;
    private final Meter failed;
    private final Counter errors;
    private Thread loop;

    public CallbackDispatcher(String workerId, CallbackStore store, CallbackSender sender, RetryPolicy retries,
                              int batchSize, Duration lease, Duration pollInterval, MetricRegistry metrics) {
        this.workerId = workerId;
        this.store = store;
        this.sender = sender;
        this.retries = retries;
        this.batchSize = batchSize;
        this.lease = lease;
        this.pollMillis = pollInterval.toMillis();
        this.delivered = metrics.meter("herald.callbacks.delivered");
        this.retried = metrics.meter("herald.callbacks.retried");
        this.failed = metrics.meter("herald.callbacks.failed");
        this.errors = metrics.counter("herald.callbacks.loop_errors");
    }

    @Override
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("callback dispatcher " + workerId + " cannot be started more than once");
        }
        loop = new Thread(this::runUntilClosed, "callbacks-" + workerId);
        loop.setDaemon(true);
        loop.start();
    }

    private void runUntilClosed() {
        while (state.get() == State.STARTED) {
            try {
                if (runOnce() < batchSize) {
                    Thread.sleep(pollMillis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // The loop never dies: a database outage is waited out; unrecorded claims lapse and are retaken.
                errors.inc();
                LOG.warn("[{}] callback round failed; will keep running: {}", workerId, e.toString());
                sleepQuietly();
            }
        }
    }

    /** One round: claim, send, record. Returns how many callbacks were claimed. */
    public int runOnce() throws SQLException, InterruptedException {
        List<CallbackStore.Due> due = store.claim(batchSize, lease);
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

    private void record(CallbackStore.Due d, SendResult result) {
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

    private void sleepQuietly() {
        try {
            Thread.sleep(Math.max(pollMillis, 500));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops claiming and lets a round in progress finish, for at most 15 s; what it leaves is retaken after its lease. */
    @Override
    public void stop() throws InterruptedException {
        if (state.getAndSet(State.CLOSED) == State.STARTED) {
            loop.join(Math.min(lease.toMillis(), 15_000));
            if (loop.isAlive()) {
                LOG.warn("[{}] callback round still running at shutdown; interrupting it", workerId);
                loop.interrupt();
            }
        }
    }
}
