package io.herald.master.core;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.herald.common.config.RetentionConfig;
import io.herald.common.loop.LoopRunner;
import io.herald.master.db.RetentionStore;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes sent, purged and rejected messages older than {@code retention.maxAge}, with their audit
 * events and dedup keys, every {@code retention.interval}, on the leader only; then, in the same pass,
 * fan-outs done or cancelled that long ago ({@link RetentionStore#deleteFanoutBatch}). A pass is a series of
 * small batches ({@link RetentionStore}) with a pause between them. Two masters running a pass at
 * once (around a hand-over) would only delete the same old rows, so no fencing is needed.
 */
public final class Retention implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private final String nodeId;
    private final RetentionStore store;
    private final RetentionConfig config;
    private final BooleanSupplier leading;
    private final Meter deleted;
    private final Meter deletedFanouts;
    private final LoopRunner loop;
    private final Duration maxAge;
    /** Where the pass in progress goes on; each loop iteration is one batch. */
    private Pass pass = new Pass();

    public Retention(String nodeId, RetentionStore store, RetentionConfig config, BooleanSupplier leading, Clock clock,
                     MetricRegistry metrics) {
        this.nodeId = nodeId;
        this.store = store;
        this.config = config;
        this.leading = leading;
        this.maxAge = Duration.ofMillis(config.maxAge.toMilliseconds());
        this.deleted = metrics.meter("herald.retention.deleted_messages");
        this.deletedFanouts = metrics.meter("herald.retention.deleted_fanouts");
        Duration interval = Duration.ofMillis(config.interval.toMilliseconds());
        this.loop = new LoopRunner("retention", nodeId, clock, metrics.counter("herald.retention.errors"),
                new LoopRunner.Backoff(interval, interval), () -> nextBatch() ? Duration.ofMillis(config.pause.toMilliseconds()) : interval);
    }

    private static final class Pass {
        long cursor;
        int total;
        int batches;
        /** Messages first, then fan-outs, each walked by its own primary key. */
        boolean messagesDone;
        long fanoutCursor;
        int fanouts;
    }

    /**
     * One whole pass, if this master leads: batches until the messages, then the fan-outs, are no longer
     * old, or leadership ends; without the pauses the loop makes between them.
     *
     * @return how many messages were deleted (fan-outs: the {@code herald.retention.deleted_fanouts} meter)
     */
    public int runOnce() throws SQLException {
        pass = new Pass();
        Pass current = pass;
        boolean more;
        do {
            more = nextBatch();
        } while (more);
        return current.total;
    }

    /** Deletes one batch of the pass in progress; false when the pass is over (and the next starts afresh). */
    private boolean nextBatch() throws SQLException {
        if (!leading.getAsBoolean()) {
            finishPass();
            return false;
        }
        pass.batches++;
        if (!pass.messagesDone) {
            RetentionStore.Batch batch = store.deleteBatch(pass.cursor, maxAge, config.batchSize);
            pass.total += batch.deleted();
            deleted.mark(batch.deleted());
            pass.cursor = batch.lastId();
            pass.messagesDone = batch.reachedRecent();
            return true;
        }
        RetentionStore.Batch batch = store.deleteFanoutBatch(pass.fanoutCursor, maxAge, config.batchSize);
        pass.fanouts += batch.deleted();
        deletedFanouts.mark(batch.deleted());
        pass.fanoutCursor = batch.lastId();
        if (batch.reachedRecent()) {
            finishPass();
            return false;
        }
        return true;
    }

    private void finishPass() {
        if (pass.total > 0 || pass.fanouts > 0) {
            LOG.info("[{}] retention deleted {} message(s) and {} fan-out(s) older than {} in {} batch(es)", nodeId, pass.total,
                    pass.fanouts, config.maxAge, pass.batches);
        }
        pass = new Pass();
    }

    @Override
    public void start() {
        if (!config.enabled()) {
            LOG.info("[{}] retention is off (retention.maxAge is 0s): finished messages are kept", nodeId);
            return;
        }
        loop.start();
    }

    @Override
    public void stop() throws InterruptedException {
        loop.stop();
    }
}
