package io.herald.worker.core;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.herald.common.loop.LoopRunner;
import io.herald.common.model.MessageStatus;
import java.io.IOException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects outcomes from all sends and writes them in batches: one transaction for up to
 * {@code batchSize} outcomes, after waiting at most {@code flushMillis} for the batch to fill. Its loop
 * runs on a {@link LoopRunner}, woken by the first outcome queued after each look at the queue.
 *
 * <p>One bad outcome costs one message, never the writer. If a batch fails, it is written again row
 * by row: the rows that land are done, and a row that fails for a reason of its own (a poison
 * outcome: anything but the database being unreachable or a lock timeout) is dead-lettered with the
 * error. Rows that fail because the database is down are retried until they are written or the recorder
 * stops; a send whose outcome is not written before its lease ends becomes {@code unknown}, and the late
 * write still applies (see {@code db.OutcomeStore}).
 *
 * <p>Completing an outcome's stage runs its dependants on the recorder's thread; those that block (the
 * task's ZooKeeper transaction) run on executors of their own ({@code TaskConsumer}'s task finisher).
 */
public final class OutcomeRecorder implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(OutcomeRecorder.class);
    private static final Duration RETRY = Duration.ofMillis(500);
    /** Nothing queued: the next outcome wakes the loop, so this only bounds a lost wake-up. */
    private static final Duration IDLE = Duration.ofSeconds(1);

    private record Pending(Outcome outcome, CompletableFuture<Void> written) {}

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    /** Set by the first outcome queued since the loop last looked; that outcome wakes the loop. */
    private final AtomicBoolean wakeUpSent = new AtomicBoolean();
    private final List<Pending> batch = new ArrayList<>();
    private final OutcomeWriter store;
    private final String workerId;
    private final int batchSize;
    private final Duration flush;
    private final Clock clock;
    private final Counter writeErrors;
    private final Counter superseded;
    private final Counter poisoned;
    private final LoopRunner loop;
    private Instant batchStarted;

    public OutcomeRecorder(OutcomeWriter store, String workerId, int batchSize, long flushMillis, Clock clock,
                           MetricRegistry metrics) {
        this.store = store;
        this.workerId = workerId;
        this.batchSize = batchSize;
        this.flush = Duration.ofMillis(flushMillis);
        this.clock = clock;
        this.writeErrors = metrics.counter("herald.worker.outcome_write_errors");
        this.superseded = metrics.counter("herald.worker.outcomes_superseded");
        this.poisoned = metrics.counter("herald.worker.outcomes_poisoned");
        metrics.gauge("herald.worker.outcomes_pending", () -> queue::size);
        this.loop = new LoopRunner("outcome-recorder", workerId, clock, metrics.counter("herald.worker.outcome_loop_errors"),
                new LoopRunner.Backoff(RETRY, RETRY), this::runOnce);
    }

    /** Queues an outcome; the stage completes once it is in the database. */
    public CompletableFuture<Void> record(Outcome outcome) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        queue.add(new Pending(outcome, written));
        if (!wakeUpSent.getAndSet(true)) {
            loop.wakeUp();
        }
        return written;
    }

    @Override
    public void start() {
        loop.start();
    }

    /**
     * One look at the queue: fills the batch, and writes it once it is full or {@code flushMillis} old.
     *
     * @return how long to wait: the rest of the flush interval, a retry's pause, or at once after a write
     */
    public synchronized Duration runOnce() {
        wakeUpSent.set(false);
        if (batch.isEmpty()) {
            batchStarted = clock.instant();
        }
        queue.drainTo(batch, batchSize - batch.size());
        if (batch.isEmpty()) {
            return IDLE;
        }
        Duration left = Duration.between(clock.instant(), batchStarted.plus(flush));
        if (batch.size() < batchSize && left.compareTo(Duration.ZERO) > 0) {
            return left;
        }
        if (write(batch)) {
            batch.clear();
            return Duration.ZERO;
        }
        return RETRY;
    }

    /**
     * Writes the batch, or as much of it as can be written; what is left in {@code batch} is to be
     * written again.
     *
     * @return whether the batch is done with; false means write what is left again
     */
    private boolean write(List<Pending> batch) {
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

    private void failRemaining() {
        List<Pending> left = new ArrayList<>(batch);
        batch.clear();
        queue.drainTo(left);
        if (!left.isEmpty()) {
            LOG.error("[{}] {} outcome(s) not recorded at shutdown; those messages will become unknown", workerId, left.size());
            IllegalStateException closed = new IllegalStateException("outcome recorder closed");
            left.forEach(p -> p.written().completeExceptionally(closed));
        }
    }

    /**
     * Stops the loop (an iteration in progress finishes), then writes what is still queued, batch by
     * batch; at the first batch that cannot be written it gives up rather than hold the process, and
     * those messages become unknown when their lease ends.
     */
    @Override
    public void stop() throws InterruptedException {
        loop.stop();
        synchronized (this) {
            while (!batch.isEmpty() || !queue.isEmpty()) {
                queue.drainTo(batch, batchSize - batch.size());
                if (!write(batch)) {
                    failRemaining();
                    return;
                }
                batch.clear();
            }
        }
    }
}
