package io.herald.common.loop;

import com.codahale.metrics.Counter;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one background loop on its own named thread, in the spirit of db-scheduler's
 * {@code RunUntilShutdown} and {@code Waiter}: call {@link Iteration#runOnce()}, wait as long as it
 * asked (or until {@link #wakeUp()}), again, until stopped.
 *
 * <ul>
 *   <li><b>Never dies.</b> An iteration that throws is logged, counted in {@code errors}, and retried
 *       after a backoff that doubles from {@link Backoff#first()} up to {@link Backoff#max()} and resets
 *       on the next success.</li>
 *   <li><b>One shutdown policy.</b> {@link #stop()} never interrupts: it wakes a waiting loop, lets an
 *       iteration in progress finish, and waits at most {@link #STOP_BOUND} for it (then warns and returns;
 *       the thread is a daemon). So a stop cannot land between two effects of one iteration, such as the
 *       claim's commit and the ZooKeeper put that follows it.</li>
 *   <li><b>Time.</b> Waits are measured on the injected {@link Clock}; a {@link #wakeUp()} re-reads it.</li>
 * </ul>
 * Tests call the component's own {@code runOnce()} and never start the thread.
 */
public final class LoopRunner implements Managed {
    /** How long {@link #stop()} lets an iteration in progress finish. */
    public static final Duration STOP_BOUND = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(LoopRunner.class);

    /** One iteration of the loop. */
    @FunctionalInterface
    public interface Iteration {
        /** Does one round of work; returns how long to wait before the next ({@link Duration#ZERO}: at once). */
        Duration runOnce() throws Exception;
    }

    /**
     * The wait after a failed iteration: {@code first}, doubled on each further failure, at most {@code max}
     * (a {@code max} below {@code first} means no doubling).
     */
    public record Backoff(Duration first, Duration max) {
        public Backoff {
            if (first.isNegative() || first.isZero()) {
                throw new IllegalArgumentException("a backoff must start above zero, not at " + first);
            }
            if (max.compareTo(first) < 0) {
                max = first;
            }
        }

        Duration after(int failures) {
            Duration wait = first;
            for (int i = 1; i < failures && wait.compareTo(max) < 0; i++) {
                wait = wait.multipliedBy(2);
            }
            return wait.compareTo(max) > 0 ? max : wait;
        }
    }

    private enum State { LATENT, STARTED, CLOSED }

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final String name;
    private final String nodeId;
    private final Clock clock;
    private final Counter errors;
    private final Backoff backoff;
    private final Iteration iteration;
    private boolean woken;
    private int failures;
    private Thread thread;

    /**
     * @param name what the loop does, for its thread ({@code <name>-<nodeId>}) and its log lines
     * @param errors counts the iterations that threw
     */
    public LoopRunner(String name, String nodeId, Clock clock, Counter errors, Backoff backoff, Iteration iteration) {
        this.name = name;
        this.nodeId = nodeId;
        this.clock = clock;
        this.errors = errors;
        this.backoff = backoff;
        this.iteration = iteration;
    }

    /** Ends the current wait at once, or the next one if the loop is running an iteration now. */
    public void wakeUp() {
        lock.lock();
        try {
            woken = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException(name + " " + nodeId + " cannot be started more than once");
        }
        thread = new Thread(this::runUntilStopped, name + "-" + nodeId);
        thread.setDaemon(true);
        thread.start();
    }

    private void runUntilStopped() {
        try {
            while (state.get() == State.STARTED) {
                waitFor(runGuarded());
            }
        } catch (InterruptedException e) {
            // Nobody here interrupts the loop: whoever did wants the thread to end.
            Thread.currentThread().interrupt();
            LOG.warn("[{}] {} was interrupted; it stops", nodeId, name);
        }
    }

    private Duration runGuarded() throws InterruptedException {
        try {
            Duration wait = iteration.runOnce();
            failures = 0;
            return wait;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            errors.inc();
            failures++;
            Duration wait = backoff.after(failures);
            if (failures == 1) {
                LOG.error("[{}] {} iteration failed; will keep running, next try in {} ms", nodeId, name, wait.toMillis(), e);
            } else {
                // The same outage, most likely: one line each, the stack trace was logged at its start.
                LOG.warn("[{}] {} iteration failed ({} in a row); next try in {} ms: {}", nodeId, name, failures, wait.toMillis(), e.toString());
            }
            return wait;
        }
    }

    /** Waits {@code wait} on the clock, or until woken or stopped; the only place the loop blocks between iterations. */
    private void waitFor(Duration wait) throws InterruptedException {
        Instant deadline = clock.instant().plus(wait);
        lock.lock();
        try {
            while (!woken && state.get() == State.STARTED) {
                long nanos = Duration.between(clock.instant(), deadline).toNanos();
                if (nanos <= 0) {
                    break;
                }
                changed.awaitNanos(nanos);
            }
            woken = false;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the loop if it waits, lets an iteration in progress finish (at most {@link #STOP_BOUND}), and ends it. */
    @Override
    public void stop() throws InterruptedException {
        if (state.getAndSet(State.CLOSED) != State.STARTED) {
            return;
        }
        wakeUp();
        thread.join(STOP_BOUND.toMillis());
        if (thread.isAlive()) {
            LOG.warn("[{}] {} did not finish its iteration within {} s; leaving it to end on its own",
                    nodeId, name, TimeUnit.MILLISECONDS.toSeconds(STOP_BOUND.toMillis()));
        }
    }
}
