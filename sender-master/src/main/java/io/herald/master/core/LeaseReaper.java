package io.herald.master.core;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.herald.common.loop.LoopRunner;
import io.herald.master.db.FencedOutException;
import io.herald.master.db.ReapStore;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's lease expiry, every {@code master.reapInterval}, fenced like the claim: dispatched messages
 * no worker started go back to queued (and the dispatcher is woken for them), sending messages whose
 * worker recorded nothing become unknown, or queued again where their application resends unknown
 * outcomes ({@code herald.master.unknown_outcomes_resent}, and {@code herald.messages.ambiguous_attempts}
 * as a worker counts a lost answer). It also expires the admission policies' old state.
 */
public final class LeaseReaper {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseReaper.class);
    private static final int LIMIT = 1_000;

    private final String nodeId;
    private final ReapStore store;
    private final Leadership leadership;
    private final Duration interval;
    private final Runnable requeued;
    private final LoopRunner loop;
    private final Meter resent;
    private final Meter ambiguous;

    /** @param requeued run after messages went back to the queue (wakes the dispatcher) */
    public LeaseReaper(String nodeId, ReapStore store, Leadership leadership, Duration interval, Runnable requeued, Clock clock,
                       MetricRegistry metrics) {
        this.nodeId = nodeId;
        this.store = store;
        this.leadership = leadership;
        this.interval = interval;
        this.requeued = requeued;
        this.loop = new LoopRunner("lease-reaper", nodeId, clock, metrics.counter("herald.master.lease_reaper_errors"),
                new LoopRunner.Backoff(interval, Duration.ofSeconds(30)), this::runOnce);
        this.resent = metrics.meter("herald.master.unknown_outcomes_resent");
        this.ambiguous = metrics.meter("herald.messages.ambiguous_attempts");
        leadership.addListener(loop::wakeUp);
    }

    /** One pass if this master leads; returns the wait before the next. */
    public Duration runOnce() throws SQLException {
        Optional<Leadership.Term> term = leadership.currentTerm();
        if (term.isEmpty()) {
            return interval;
        }
        try {
            ReapStore.Reaped reaped = store.reap(term.get().token(), nodeId, LIMIT);
            if (reaped.requeued() > 0 || reaped.unknown() > 0 || reaped.resent() > 0) {
                LOG.warn("[{}] leases expired: {} dispatched message(s) queued again, {} sending message(s) now unknown,"
                        + " {} sending message(s) resent (unknownOutcome=resend)", nodeId, reaped.requeued(), reaped.unknown(), reaped.resent());
            }
            resent.mark(reaped.resent());
            ambiguous.mark(reaped.resent());
            if (reaped.requeued() > 0 || reaped.resent() > 0) {
                requeued.run();
            }
        } catch (FencedOutException e) {
            LOG.warn("[{}] {}; stepping down", nodeId, e.getMessage());
            leadership.stepDown("fenced out");
        }
        return interval;
    }

    /** Its loop, for the master's lifecycle. */
    public LoopRunner loop() {
        return loop;
    }
}
