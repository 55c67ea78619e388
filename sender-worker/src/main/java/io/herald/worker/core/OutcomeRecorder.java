package io.herald.worker.core;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.herald.worker.db.DeliveryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects outcomes from all sends and writes them in batches: one transaction for up to
 * {@code batchSize} outcomes, after waiting at most {@code flushMillis} for the batch to fill.
 *
 * <p>An outcome is never dropped. If the database is down the batch is retried until it is written
 * or the recorder closes; a send whose outcome is not written before its lease ends becomes
 * {@code unknown}, and the late write still applies (see {@link DeliveryStore#record}).
 */
public final class OutcomeRecorder implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(OutcomeRecorder.class);
    private static final long RETRY_MILLIS = 500;

    private enum State { LATENT, STARTED, CLOSED }

    private record Pending(Outcome outcome, CompletableFuture<Void> written) {}

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final DeliveryStore store;
    private final String workerId;
    private final int batchSize;
    private final long flushMillis;
    private final Counter writeErrors;
    private final Counter superseded;
    private Thread loop;

    public OutcomeRecorder(DeliveryStore store, String workerId, int batchSize, long flushMillis, MetricRegistry metrics) {
        this.store = store;
        this.workerId = workerId;
        this.batchSize = batchSize;
        this.flushMillis = flushMillis;
        this.writeErrors = metrics.counter("herald.worker.outcome_write_errors");
        this.superseded = metrics.counter("herald.worker.outcomes_superseded");
        metrics.gauge("herald.worker.outcomes_pending", () -> queue::size);
    }

    /** Queues an outcome; the stage completes once it is in the database. */
    public CompletableFuture<Void> record(Outcome outcome) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        queue.add(new Pending(outcome, written));
        return written;
    }

    @Override
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("outcome recorder " + workerId + " cannot be started more than once");
        }
        loop = new Thread(this::runUntilClosed, "outcome-recorder-" + workerId);
        loop.setDaemon(true);
        loop.start();
    }

    private void runUntilClosed() {
        List<Pending> batch = new ArrayList<>(batchSize);
        while (state.get() == State.STARTED || !queue.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    fill(batch);
                }
                if (!batch.isEmpty() && write(batch)) {
                    batch.clear();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        failRemaining(batch);
    }

    private void fill(List<Pending> batch) throws InterruptedException {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
            return;
        }
        batch.add(first);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(flushMillis);
        while (batch.size() < batchSize) {
            queue.drainTo(batch, batchSize - batch.size());
            long left = deadline - System.nanoTime();
            if (batch.size() >= batchSize || left <= 0) {
                break;
            }
            Pending next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            batch.add(next);
        }
    }

    /** @return whether the batch is done with; false means write it again */
    private boolean write(List<Pending> batch) throws InterruptedException {
        try {
            int applied = store.record(batch.stream().map(Pending::outcome).toList());
            superseded.inc(batch.size() - applied);
            batch.forEach(p -> p.written().complete(null));
            return true;
        } catch (Exception e) {
            writeErrors.inc();
            LOG.warn("[{}] could not record {} outcome(s); will retry: {}", workerId, batch.size(), e.getMessage());
            if (state.get() != State.STARTED) {
                failRemaining(batch); // shutting down: give up rather than hold the process
                return true;
            }
            Thread.sleep(RETRY_MILLIS);
            return false;
        }
    }

    private void failRemaining(List<Pending> batch) {
        List<Pending> left = new ArrayList<>(batch);
        queue.drainTo(left);
        if (!left.isEmpty()) {
            LOG.error("[{}] {} outcome(s) not recorded at shutdown; those messages will become unknown", workerId, left.size());
            IllegalStateException closed = new IllegalStateException("outcome recorder closed");
            left.forEach(p -> p.written().completeExceptionally(closed));
        }
    }

    /** Writes what is queued, then stops; bounded by 10 s. */
    @Override
    public void stop() throws InterruptedException {
        if (state.getAndSet(State.CLOSED) == State.STARTED) {
            loop.join(10_000);
            if (loop.isAlive()) {
                LOG.warn("[{}] outcome recorder did not finish within 10 s", workerId);
                loop.interrupt();
            }
        }
    }
}
