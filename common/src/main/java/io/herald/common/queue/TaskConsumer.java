package io.herald.common.queue;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.herald.common.loop.LoopRunner;
import io.herald.common.loop.NamedThreads;
import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.zookeeper.Watcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's side of the {@link TaskQueue}: takes tasks while it has room, hands each to a handler, and
 * completes the task once the handler's stage finishes.
 *
 * <p>At most {@code maxTasksInFlight} tasks are held at once, so a worker pulls only what it can do and
 * load spreads across workers by itself. {@link #drain()} stops taking tasks and completes when the held
 * ones are finished. If the handler's stage fails, the task is released (its hold dropped) so another
 * worker, or this one, takes it again.
 */
public final class TaskConsumer implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskConsumer.class);
    private static final Duration RESCAN = Duration.ofSeconds(1);
    private static final Duration FINISHER_STOP_BOUND = Duration.ofSeconds(5);

    private enum State { LATENT, STARTED, CLOSED }

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final TaskQueue queue;
    private final String workerId;
    private final int maxTasksInFlight;
    private final Function<DispatchTask, CompletionStage<?>> handler;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Woken by ZooKeeper watches and finished tasks; the loop waits on it instead of polling. */
    private final LoopRunner loop;
    private final Watcher wakeOnChange;
    /**
     * Finishing a task is a synchronous ZooKeeper transaction. It runs here, not on whichever thread
     * completed the handler's stage (the outcome recorder's, which must not wait on ZooKeeper).
     */
    private final ExecutorService finisher;
    private final Counter tasksTaken;
    private volatile boolean draining;
    private volatile CompletableFuture<Void> drained = new CompletableFuture<>();

    public TaskConsumer(TaskQueue queue, String workerId, int maxTasksInFlight,
                        Function<DispatchTask, CompletionStage<?>> handler, Clock clock, MetricRegistry metrics) {
        this.queue = queue;
        this.workerId = workerId;
        this.maxTasksInFlight = maxTasksInFlight;
        this.handler = handler;
        this.tasksTaken = metrics.counter("herald.worker.tasks_taken");
        this.loop = new LoopRunner("task-consumer", workerId, clock, metrics.counter("herald.worker.task_loop_errors"),
                new LoopRunner.Backoff(RESCAN, RESCAN), () -> takeAvailableTasks() ? Duration.ZERO : RESCAN);
        this.wakeOnChange = event -> loop.wakeUp();
        this.finisher = NamedThreads.pool("task-finisher", workerId, 1);
        metrics.gauge("herald.worker.tasks_in_flight", () -> inFlight::get);
    }

    public void start() throws Exception {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("task consumer " + workerId + " cannot be started more than once");
        }
        queue.ensurePaths();
        loop.start();
    }

    /** Stops taking tasks; the returned stage completes when every held task is finished. */
    public CompletableFuture<Void> drain() {
        draining = true;
        CompletableFuture<Void> done = drained;
        if (inFlight.get() == 0) {
            done.complete(null);
        }
        LOG.info("[{}] draining: {} task(s) in flight", workerId, inFlight.get());
        return done;
    }

    /** Takes tasks again after {@link #drain()}. */
    public void resume() {
        if (draining) {
            drained = new CompletableFuture<>();
            draining = false;
            loop.wakeUp();
            LOG.info("[{}] taking tasks again", workerId);
        }
    }

    public boolean isDraining() {
        return draining;
    }

    public int tasksInFlight() {
        return inFlight.get();
    }

    /**
     * One pass over the queue: holds tasks no one holds while there is room.
     *
     * @return whether any task was taken (if so, look again at once)
     */
    public boolean takeAvailableTasks() throws Exception {
        if (!hasRoom()) {
            return false;
        }
        List<String> names = new ArrayList<>(queue.taskNames(wakeOnChange));
        Set<String> held = queue.heldNames(wakeOnChange);
        names.removeAll(held);
        if (names.isEmpty()) {
            return false;
        }
        Collections.sort(names);
        // Start at a random place so workers do not all race for the same first task.
        Collections.rotate(names, ThreadLocalRandom.current().nextInt(names.size()));
        boolean took = false;
        for (String name : names) {
            if (!hasRoom()) {
                break;
            }
            Optional<DispatchTask> task = queue.tryHold(name, workerId);
            if (task.isPresent()) {
                took = true;
                run(name, task.get());
            }
        }
        return took;
    }

    private boolean hasRoom() {
        return !draining && state.get() == State.STARTED && inFlight.get() < maxTasksInFlight;
    }

    private void run(String name, DispatchTask task) {
        inFlight.incrementAndGet();
        tasksTaken.inc();
        CompletionStage<?> stage;
        try {
            stage = handler.apply(task);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenCompleteAsync((ignored, failure) -> finish(name, failure), this::onFinisher);
    }

    /** On the task finisher; after {@link #close()}, a task that ends late is finished where it ended, as before. */
    private void onFinisher(Runnable finish) {
        try {
            finisher.execute(finish);
        } catch (RejectedExecutionException e) {
            finish.run();
        }
    }

    private void finish(String name, Throwable failure) {
        try {
            if (failure == null) {
                queue.complete(name);
            } else {
                LOG.warn("[{}] task {} failed; releasing it for another attempt", workerId, name, failure);
                queue.release(name);
            }
        } catch (Exception e) {
            // The hold is ephemeral: if we cannot drop it, it goes with our session and the task is
            // taken again; its messages are then skipped as already handled.
            LOG.warn("[{}] could not finish task {} in ZooKeeper", workerId, name, e);
        } finally {
            if (inFlight.decrementAndGet() == 0 && draining) {
                drained.complete(null);
            }
            loop.wakeUp();
        }
    }

    /**
     * Stops taking tasks (a pass in progress finishes, bounded by {@link LoopRunner#STOP_BOUND}), then lets
     * the task finisher end the ZooKeeper transactions already queued. Call after {@link #drain()}.
     */
    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.STARTED) {
            try {
                loop.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        NamedThreads.shutdown(finisher, "task finisher", workerId, FINISHER_STOP_BOUND);
    }
}
