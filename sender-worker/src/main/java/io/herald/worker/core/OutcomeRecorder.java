package io.herald.worker.core;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.herald.common.model.MessageStatus;
import io.herald.worker.db.DeliveryStore;
import java.io.IOException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
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
 * <p>One bad outcome costs one message, never the writer. If a batch fails, it is written again row
 * by row: the rows that land are done, and a row that fails for a reason of its own (a poison
 * outcome: anything but the database being unreachable or a lock timeout) is dead-lettered with the
 * error. Rows that fail because the database is down are retried until it is written or the recorder closes; a send whose outcome is not written
 * before its lease ends becomes {@code unknown}, and the late write still applies
 * (see {@link DeliveryStore#record}).
 */
public final class OutcomeRecorder implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(OutcomeRecorder.class);
    private static final long RETRY_MILLIS = 500;

    private enum State { LATENT, STARTED, CLOSED }

    private record Pending(Outcome outcome, CompletableFuture<Void> written) {}

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final OutcomeWriter store;
    private final String workerId;
    private final int batchSize;
    private final long flushMillis;
    private final Counter writeErrors;
    private final Counter superseded;
    private final Counter poisoned;
    private Thread loop;

    public OutcomeRecorder(OutcomeWriter store, String workerId, int batchSize, long flushMillis, MetricRegistry metrics) {
        this.store = store;
        this.workerId = workerId;
        this.batchSize = batchSize;
        this.flushMillis = flushMillis;
        this.writeErrors = metrics.counter("herald.worker.outcome_write_errors");
        this.superseded = metrics.counter("herald.worker.outcomes_superseded");
        this.poisoned = metrics.counter("herald.worker.outcomes_poisoned");
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

    /**
     * Writes the batch, or as much of it as can be written; what is left in {@code batch} is to be
     * written again.
     *
     * @return whether the batch is done with; false means write what is left again
     */
    private boolean write(List<Pending> batch) throws InterruptedException {
        Exception failure;
        try {
            land(batch);
            return true;
        } catch (Exception e) {
            writeErrors.inc();
            failure = e;
        }
        List<Pending> again = isOutage(failure) ? new ArrayList<>(batch) : rowByRow(batch);
        if (again.isEmpty()) {
            return true;
        }
        batch.retainAll(again);
        LOG.warn("[{}] could not record {} outcome(s); will retry: {}", workerId, batch.size(), failure.getMessage());
        if (state.get() != State.STARTED) {
            failRemaining(batch); // shutting down: give up rather than hold the process
            return true;
        }
        Thread.sleep(RETRY_MILLIS);
        return false;
    }

    /**
     * Writes each row on its own. A row that fails for a reason of its own is dead-lettered; at the
     * first failure that is the database's, the rest is returned to be written again.
     */
    private List<Pending> rowByRow(List<Pending> batch) {
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            try {
                land(List.of(p));
            } catch (Exception e) {
                if (isOutage(e)) {
                    return new ArrayList<>(batch.subList(i, batch.size()));
                }
                deadLetter(p, e); // this row is poison; the others are not held up by it
            }
        }
        return List.of();
    }

    private void land(List<Pending> pending) throws Exception {
        int applied = store.record(pending.stream().map(Pending::outcome).toList());
        superseded.inc(pending.size() - applied);
        pending.forEach(p -> p.written().complete(null));
    }

    /** Whether the failure is the database's (unreachable, a lock timeout, a deadlock), not the row's. */
    static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** A row that cannot be written as it is: its message becomes a dead letter that says why. */
    private void deadLetter(Pending p, Exception cause) {
        poisoned.inc();
        Outcome o = p.outcome();
        String error = "outcome could not be recorded (" + cause + "); it was " + o.status().wireName()
                + (o.error() == null ? "" : ": " + o.error());
        LOG.error("[{}] outcome of message {} attempt {} could not be written; dead-lettering it", workerId, o.messageId(), o.attempt());
        try {
            land(List.of(new Pending(new Outcome(o.messageId(), o.attempt(), MessageStatus.DEAD, error, Duration.ZERO, null,
                    o.digest(), o.ambiguous(), false), p.written())));
        } catch (Exception e) {
            LOG.error("[{}] message {} could not be dead-lettered either; it becomes unknown when its lease ends: {}",
                    workerId, o.messageId(), e.toString());
            p.written().completeExceptionally(e);
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
