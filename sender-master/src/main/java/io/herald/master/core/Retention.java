package io.herald.master.core;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.herald.common.config.RetentionConfig;
import io.herald.master.db.RetentionStore;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes sent, purged and rejected messages older than {@code retention.maxAge}, with their audit
 * events and dedup keys, every {@code retention.interval}, on the leader only. A pass is a series of
 * small batches ({@link RetentionStore}) with a pause between them. Two masters running a pass at
 * once (around a hand-over) would only delete the same old rows, so no fencing is needed.
 */
public final class Retention implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private final String nodeId;
    private final RetentionStore store;
    private final RetentionConfig config;
    private final BooleanSupplier leading;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Meter deleted;
    private final Counter errors;
    private Thread loop;

    public Retention(String nodeId, RetentionStore store, RetentionConfig config, BooleanSupplier leading,
                     MetricRegistry metrics) {
        this.nodeId = nodeId;
        this.store = store;
        this.config = config;
        this.leading = leading;
        this.deleted = metrics.meter("herald.retention.deleted_messages");
        this.errors = metrics.counter("herald.retention.errors");
    }

    /**
     * One pass, if this master leads: batches until the messages are no longer old, or leadership ends.
     *
     * @return how many messages were deleted
     */
    public int runOnce() throws SQLException, InterruptedException {
        Duration maxAge = Duration.ofMillis(config.maxAge.toMilliseconds());
        int total = 0;
        int batches = 0;
        long cursor = 0;
        while (leading.getAsBoolean()) {
            RetentionStore.Batch batch = store.deleteBatch(cursor, maxAge, config.batchSize);
            batches++;
            total += batch.deleted();
            deleted.mark(batch.deleted());
            cursor = batch.lastId();
            if (batch.reachedRecent() || stopping.await(config.pause.toMilliseconds(), TimeUnit.MILLISECONDS)) {
                break;
            }
        }
        if (total > 0) {
            LOG.info("[{}] retention deleted {} message(s) older than {} in {} batch(es)", nodeId, total, config.maxAge, batches);
        }
        return total;
    }

    @Override
    public void start() {
        if (!config.enabled()) {
            LOG.info("[{}] retention is off (retention.maxAge is 0s): finished messages are kept", nodeId);
            return;
        }
        loop = new Thread(this::runUntilStopped, "retention-" + nodeId);
        loop.setDaemon(true);
        loop.start();
    }

    private void runUntilStopped() {
        try {
            do {
                try {
                    runOnce();
                } catch (SQLException | RuntimeException e) {
                    errors.inc();
                    LOG.warn("[{}] retention pass failed; will try again in {}: {}", nodeId, config.interval, e.getMessage());
                }
            } while (!stopping.await(config.interval.toMilliseconds(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() throws InterruptedException {
        stopping.countDown();
        if (loop != null) {
            loop.join(10_000);
            if (loop.isAlive()) {
                LOG.warn("[{}] retention did not stop within 10 s", nodeId);
            }
        }
    }
}
