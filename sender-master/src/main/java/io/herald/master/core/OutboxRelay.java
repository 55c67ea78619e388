package io.herald.master.core;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.herald.common.loop.LoopRunner;
import io.herald.master.db.OutboxStore;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Turns the admission policies' side effects (the {@code outbox} rows the fenced claim wrote) into
 * Herald's own messages, outside the fence, on the leader. A relayed row and its message commit together.
 */
public final class OutboxRelay {
    /** A warning is not urgent: a second's delay costs nothing, and a standby master asks nothing. */
    static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final int BATCH = 100;

    private final String nodeId;
    private final OutboxStore store;
    private final BooleanSupplier leading;
    private final Meter relayed;
    private final LoopRunner loop;

    public OutboxRelay(String nodeId, OutboxStore store, BooleanSupplier leading, Clock clock, MetricRegistry metrics) {
        this.nodeId = nodeId;
        this.store = store;
        this.leading = leading;
        this.relayed = metrics.meter("herald.master.outbox_relayed");
        this.loop = new LoopRunner("outbox-relay", nodeId, clock, metrics.counter("herald.master.outbox_relay_errors"),
                new LoopRunner.Backoff(INTERVAL, Duration.ofSeconds(30)), this::runOnce);
    }

    /** Relays one batch if this master leads; a full batch is followed by the next at once. */
    public Duration runOnce() throws SQLException {
        if (!leading.getAsBoolean()) {
            return INTERVAL;
        }
        int n = store.relay(nodeId, BATCH);
        relayed.mark(n);
        return n == BATCH ? Duration.ZERO : INTERVAL;
    }

    /** Its loop, for the master's lifecycle. */
    public LoopRunner loop() {
        return loop;
    }
}
