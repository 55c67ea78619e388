package io.herald.master.core;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.dropwizard.lifecycle.Managed;
import io.herald.common.config.MasterConfig;
import io.herald.common.queue.DispatchTask;
import io.herald.common.queue.TaskQueue;
import io.herald.master.db.DispatchStore;
import io.herald.master.db.DispatchStore.Claim;
import io.herald.master.db.FencedOutException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's loop: claim due messages in batches under the fencing token, and queue their ids as
 * tasks for the workers. Standby masters run the loop too but do nothing until they hold a term.
 *
 * <p>Order of effects in one iteration: the fenced claim commits (messages become dispatched with a
 * lease), then the tasks are put in ZooKeeper. A leader that dies between the two leaves the messages
 * dispatched but unqueued; their lease expires and the next leader dispatches them again.
 *
 * <p>The loop never dies: failures are logged, counted and retried. A leader whose database is
 * unreachable for {@link MasterConfig#databaseFailureStepDown} steps down so another master can try.
 */
public final class Dispatcher implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final int REAP_LIMIT = 1_000;
    private static final Duration DATABASE_WARNING_INTERVAL = Duration.ofSeconds(5);

    private enum State { LATENT, STARTED, CLOSED }

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final String nodeId;
    private final MasterConfig config;
    private final DispatchStore store;
    private final TaskQueue queue;
    private final LeaderElection election;
    private final Clock clock;
    private final Semaphore wakeUp = new Semaphore(0);
    private final Meter dispatched;
    private final Counter loopErrors;
    private final Histogram lagMillis;
    private final Timer claimTime;
    private final AtomicLong lastLagMillis = new AtomicLong();
    private Instant nextReap = Instant.MIN;
    private Instant databaseFailingSince;
    private Instant lastDatabaseWarning = Instant.MIN;
    private Thread loop;

    public Dispatcher(String nodeId, MasterConfig config, DispatchStore store, TaskQueue queue,
                      LeaderElection election, Clock clock, MetricRegistry metrics) {
        this.nodeId = nodeId;
        this.config = config;
        this.store = store;
        this.queue = queue;
        this.election = election;
        this.clock = clock;
        this.dispatched = metrics.meter("herald.master.messages_dispatched");
        this.loopErrors = metrics.counter("herald.master.dispatch_loop_errors");
        this.lagMillis = metrics.histogram("herald.master.dispatch_lag_millis");
        this.claimTime = metrics.timer("herald.master.claim_time");
        metrics.gauge("herald.master.dispatch_lag_last_millis", () -> lastLagMillis::get);
        metrics.gauge("herald.master.is_leader", () -> () -> election.currentTerm().isPresent() ? 1 : 0);
        election.addListener(this::wakeUp);
    }

    /** Asks the loop to look for work now (new messages, or a term began). */
    public void wakeUp() {
        wakeUp.release();
    }

    @Override
    public void start() throws Exception {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("dispatcher " + nodeId + " cannot be started more than once");
        }
        queue.ensurePaths();
        loop = new Thread(this::runUntilClosed, "dispatcher-" + nodeId);
        loop.setDaemon(true);
        loop.start();
    }

    private void runUntilClosed() {
        while (state.get() == State.STARTED) {
            try {
                int claimed = runOnce();
                if (claimed < config.claimBatchSize) {
                    wakeUp.tryAcquire(config.pollInterval.toMilliseconds(), TimeUnit.MILLISECONDS);
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                loopErrors.inc();
                LOG.error("[{}] dispatch iteration failed; will keep running", nodeId, e);
            }
        }
    }

    /**
     * One iteration: expire leases when due, then claim and queue one batch if this node leads.
     *
     * @return how many messages were dispatched
     */
    public int runOnce() throws InterruptedException {
        Optional<LeaderElection.Term> term = election.currentTerm();
        if (term.isEmpty()) {
            databaseFailingSince = null;
            return 0;
        }
        long token = term.get().token();
        Instant started = clock.instant();
        try {
            reapIfDue(token);
            int claimed = dispatchBatch(term.get());
            databaseFailingSince = null;
            return claimed;
        } catch (FencedOutException e) {
            LOG.warn("[{}] {}; stepping down", nodeId, e.getMessage());
            election.stepDown("fenced out");
        } catch (SQLException e) {
            onDatabaseFailure(e, started);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            loopErrors.inc();
            LOG.warn("[{}] dispatch failed; will retry", nodeId, e);
        }
        return 0;
    }

    private void reapIfDue(long token) throws SQLException, FencedOutException {
        Instant now = clock.instant();
        if (now.isBefore(nextReap)) {
            return;
        }
        nextReap = now.plusMillis(config.reapInterval.toMilliseconds());
        DispatchStore.Reaped reaped = store.reap(token, nodeId, REAP_LIMIT);
        if (reaped.requeued() > 0 || reaped.unknown() > 0) {
            LOG.warn("[{}] leases expired: {} dispatched message(s) queued again, {} sending message(s) now unknown",
                    nodeId, reaped.requeued(), reaped.unknown());
        }
    }

    private int dispatchBatch(LeaderElection.Term term) throws Exception {
        int room = (config.maxQueuedTasks - queue.size()) * config.taskSize;
        int limit = Math.min(config.claimBatchSize, room);
        // Checked again right before the write: the term may have ended while we read the queue.
        if (limit <= 0 || !term.isValid()) {
            return 0;
        }
        Claim claim;
        try (Timer.Context ignored = claimTime.time()) {
            claim = store.claim(term.token(), nodeId, limit, Duration.ofMillis(config.dispatchLease.toMilliseconds()));
        }
        if (claim.paused() || claim.messageIds().isEmpty()) {
            return 0;
        }
        queue.put(tasks(term.token(), claim.messageIds()));
        dispatched.mark(claim.messageIds().size());
        long lag = claim.maxLagMicros() / 1_000;
        lagMillis.update(lag);
        lastLagMillis.set(lag);
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
        loopErrors.inc();
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
            election.stepDown("database unreachable for " + failing.toMillis() + " ms");
        }
    }

    @Override
    public void stop() throws InterruptedException {
        if (state.getAndSet(State.CLOSED) == State.STARTED) {
            loop.interrupt();
            loop.join(10_000);
            if (loop.isAlive()) {
                LOG.warn("[{}] dispatcher did not stop within 10 s", nodeId);
            }
        }
    }
}
