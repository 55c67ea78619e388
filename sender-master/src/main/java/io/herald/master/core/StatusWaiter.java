package io.herald.master.core;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.herald.common.loop.LoopRunner;
import io.herald.common.model.MessageStatus;
import io.herald.master.api.InvalidRequestException;
import io.herald.master.api.MessageView;
import io.herald.master.db.MessageStore;
import jakarta.ws.rs.container.AsyncResponse;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long-polls for {@code GET /v1/messages/{id}?wait=}: requests wait here, suspended, holding no thread.
 * One loop per master reads the status of every waited-for message in one batched query each
 * {@code pollInterval}, and answers the requests whose message reached a final status or whose wait
 * ran out (with the current status). The cost is one query per interval, however many callers wait.
 */
public final class StatusWaiter implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(StatusWaiter.class);
    private static final Duration DATABASE_WARNING_INTERVAL = Duration.ofSeconds(5);

    private enum State { LATENT, STARTED, CLOSED }

    /**
     * One waiting request. Its slot is freed exactly once ({@link #release}), by whichever comes first:
     * its answer or its client going away; it is answered, and taken off its queue, by the poll alone.
     */
    private record Waiter(String application, AsyncResponse response, Instant deadline, ClientWatch watch, AtomicBoolean released) {
        Waiter(String application, AsyncResponse response, Instant deadline, ClientWatch watch) {
            this(application, response, deadline, watch, new AtomicBoolean());
        }
    }

    /** What {@link #await} did with a request. */
    public enum Admission { WAITING, FULL, APPLICATION_FULL }

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final String nodeId;
    private final MessageStore store;
    private final Function<String, ?> unavailable;
    private final int maxWaiters;
    private final int maxWaitersPerApplication;
    private final Map<String, AtomicInteger> perApplication = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Map<Long, Queue<Waiter>> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final Counter pollErrors;
    private final LoopRunner loop;
    private Instant lastDatabaseWarning = Instant.MIN;

    /**
     * @param unavailable the answer, in the API's shape, for a wait this master cannot serve (a 503 with
     *     {@code Retry-After}), given its message
     */
    public StatusWaiter(String nodeId, MessageStore store, Function<String, ?> unavailable, Duration pollInterval, int maxWaiters,
                        int maxWaitersPerApplication, Clock clock, MetricRegistry metrics) {
        this.maxWaitersPerApplication = maxWaitersPerApplication;
        this.nodeId = nodeId;
        this.store = store;
        this.unavailable = unavailable;
        this.maxWaiters = maxWaiters;
        this.clock = clock;
        this.pollErrors = metrics.counter("herald.master.status_wait_poll_errors");
        metrics.gauge("herald.master.status_waiters", () -> count::get);
        this.loop = new LoopRunner("status-waiter", nodeId, clock, pollErrors, new LoopRunner.Backoff(pollInterval, pollInterval), () -> {
            runOnce();
            return pollInterval;
        });
    }

    /**
     * Parks {@code response} until message {@code id} is final or {@code wait} has passed. The caller has
     * already checked that the message exists and belongs to the caller's application. When {@code watch}
     * reports that the client has gone, the slot is freed at once, and the next poll answers the request
     * (into a closed connection) and forgets it.
     *
     * @return {@code FULL} when this master already holds {@code maxWaiters} waiting requests (or is not
     *     running), {@code APPLICATION_FULL} when {@code application} holds {@code maxWaitersPerApplication}
     */
    public Admission await(String application, long id, Duration wait, AsyncResponse response, ClientWatch watch) {
        if (count.incrementAndGet() > maxWaiters || state.get() != State.STARTED) {
            count.decrementAndGet();
            return Admission.FULL;
        }
        AtomicInteger mine = perApplication.computeIfAbsent(application, a -> new AtomicInteger());
        if (mine.incrementAndGet() > maxWaitersPerApplication) {
            mine.decrementAndGet();
            count.decrementAndGet();
            return Admission.APPLICATION_FULL;
        }
        Waiter waiter = new Waiter(application, response, clock.instant().plus(wait), watch);
        // Started before the poll can see the waiter, so that stopping it always follows starting it.
        watch.start(() -> release(waiter));
        // Added inside compute: a poll that drops an emptied queue cannot drop this waiter with it.
        waiting.compute(id, (k, queue) -> {
            Queue<Waiter> q = queue == null ? new ConcurrentLinkedQueue<>() : queue;
            q.add(waiter);
            return q;
        });
        return Admission.WAITING;
    }

    public int waiting() {
        return count.get();
    }

    /** The slots {@code application} holds on this master. */
    public int waiting(String application) {
        AtomicInteger mine = perApplication.get(application);
        return mine == null ? 0 : mine.get();
    }

    @Override
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("status waiter " + nodeId + " cannot be started more than once");
        }
        loop.start();
    }

    /** One poll: reads every waited-for message at once and answers who is done. */
    public void runOnce() {
        if (waiting.isEmpty()) {
            return;
        }
        List<Long> ids = new ArrayList<>(waiting.keySet());
        Instant now = clock.instant();
        Predicate<Waiter> expired = w -> !now.isBefore(w.deadline());
        Map<Long, MessageView> views;
        try {
            views = store.findAll(ids);
        } catch (SQLException e) {
            onDatabaseFailure(e, now);
            // Waits that ran out get the 503 a plain GET would get now.
            ids.forEach(id -> answer(id, expired, unavailable.apply("database unavailable; retry later")));
            return;
        }
        for (Long id : ids) {
            MessageView view = views.get(id);
            if (view == null) {
                // Deleted by retention while waited for: answered as a plain GET would be.
                answer(id, w -> true, InvalidRequestException.of(404, "id", "no message with id '" + id + "'"));
            } else {
                boolean done = MessageStatus.find(view.status()).map(MessageStatus::isTerminal).orElse(false);
                answer(id, done ? w -> true : expired, view);
            }
        }
    }

    /**
     * Answers, and forgets, the waiters of {@code id} that {@code due} selects, and those whose client has
     * gone. Only the poll (and {@link #stop}, after the poll has stopped) answers, so no request is
     * answered twice.
     */
    private void answer(long id, Predicate<Waiter> due, Object answer) {
        Queue<Waiter> queue = waiting.get(id);
        if (queue == null) {
            return;
        }
        queue.removeIf(w -> {
            if (!w.released().get() && !due.test(w)) {
                return false;
            }
            release(w);
            resume(w.response(), answer);
            return true;
        });
        waiting.computeIfPresent(id, (k, q) -> q.isEmpty() ? null : q);
    }

    /** Frees the waiter's slot, the first time only: its answer and its client's going may race. */
    private void release(Waiter w) {
        if (w.released().compareAndSet(false, true)) {
            // Before the answer: the watch must let go of the connection before the response completes.
            w.watch().stop();
            count.decrementAndGet();
            perApplication.get(w.application()).decrementAndGet();
        }
    }

    private static void resume(AsyncResponse response, Object answer) {
        // A caller that went away makes resume return false; nothing is left to do for it.
        if (answer instanceof Throwable failure) {
            response.resume(failure);
        } else {
            response.resume(answer);
        }
    }

    private void onDatabaseFailure(SQLException e, Instant now) {
        pollErrors.inc();
        if (Duration.between(lastDatabaseWarning, now).compareTo(DATABASE_WARNING_INTERVAL) >= 0) {
            lastDatabaseWarning = now;
            LOG.warn("[{}] status wait poll could not read the database: {}", nodeId, e.getMessage());
        }
    }

    /** Stops polling and answers every waiting request with the current status, so none hangs. */
    @Override
    public void stop() throws InterruptedException {
        if (state.getAndSet(State.CLOSED) != State.STARTED) {
            return;
        }
        loop.stop();
        Map<Long, MessageView> views;
        try {
            views = store.findAll(new ArrayList<>(waiting.keySet()));
        } catch (SQLException e) {
            views = Map.of();
        }
        for (Long id : new ArrayList<>(waiting.keySet())) {
            MessageView view = views.get(id);
            answer(id, w -> true, view != null ? view : unavailable.apply("this master is shutting down; retry"));
        }
    }
}
