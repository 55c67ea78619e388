package io.herald.worker.core;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.herald.common.model.Channel;
import io.herald.common.queue.DispatchTask;
import io.herald.worker.channel.ChannelSender;
import io.herald.worker.db.DeliveryStore;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Turns a task into sends: claim the task's messages (dedup keys first, in one transaction), send each
 * through its channel with at most {@code maxInFlight} sends in flight on this worker, and queue each
 * outcome for the batched writer. The task's stage completes when every outcome is in the database.
 */
public final class DeliveryPipeline implements AutoCloseable {
    private final String workerId;
    private final DeliveryStore store;
    private final Map<Channel, ChannelSender> senders;
    private final OutcomeRecorder recorder;
    private final RetryPolicy retryPolicy;
    private final Duration sendLease;
    private final Semaphore inFlight;
    /** Claims run here, off the task-taking thread; waiting for send permits happens here too. */
    private final ExecutorService claimers;
    private final Meter sent;
    private final Meter failed;
    private final Meter retried;
    private final Meter blockedDuplicates;
    private final Map<Channel, Timer> latency = new EnumMap<>(Channel.class);

    public DeliveryPipeline(String workerId, DeliveryStore store, Map<Channel, ChannelSender> senders,
                            OutcomeRecorder recorder, RetryPolicy retryPolicy, int maxInFlight, Duration sendLease,
                            MetricRegistry metrics) {
        this.workerId = workerId;
        this.store = store;
        this.senders = Map.copyOf(senders);
        this.recorder = recorder;
        this.retryPolicy = retryPolicy;
        this.sendLease = sendLease;
        this.inFlight = new Semaphore(maxInFlight);
        this.claimers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "claimer-" + workerId);
            t.setDaemon(true);
            return t;
        });
        this.sent = metrics.meter("herald.messages.sent");
        this.failed = metrics.meter("herald.messages.failed");
        this.retried = metrics.meter("herald.messages.retried");
        this.blockedDuplicates = metrics.meter("herald.messages.blocked_duplicates");
        for (Channel channel : Channel.values()) {
            latency.put(channel, metrics.timer("herald.send.latency." + channel.wireName()));
        }
        metrics.gauge("herald.worker.sends_in_flight", () -> () -> maxInFlight - inFlight.availablePermits());
    }

    /** Handles one task; the stage fails if the claim could not be written, and the task is then retaken. */
    public CompletableFuture<Void> handle(DispatchTask task) {
        return CompletableFuture.supplyAsync(() -> claim(task), claimers).thenCompose(this::sendAll);
    }

    private DeliveryStore.Claim claim(DispatchTask task) {
        try {
            DeliveryStore.Claim claim = store.claim(task.messageIds(), sendLease);
            blockedDuplicates.mark(claim.blocked());
            return claim;
        } catch (SQLException e) {
            throw new CompletionException(e);
        }
    }

    private CompletableFuture<Void> sendAll(DeliveryStore.Claim claim) {
        List<CompletableFuture<Void>> recorded = new ArrayList<>(claim.mine().size());
        for (OutgoingMessage message : claim.mine()) {
            acquirePermit();
            recorded.add(sendOne(message));
        }
        return CompletableFuture.allOf(recorded.toArray(CompletableFuture[]::new));
    }

    private void acquirePermit() {
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    private CompletableFuture<Void> sendOne(OutgoingMessage message) {
        long started = System.nanoTime();
        CompletableFuture<SendResult> result;
        try {
            result = senders.get(message.channel()).send(message);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result
                .handle((r, failure) -> r != null ? r : SendResult.transientFailure("internal error in " + workerId + ": " + failure))
                .thenCompose(r -> {
                    inFlight.release();
                    latency.get(message.channel()).update(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                    return recorder.record(outcome(message, r));
                });
    }

    Outcome outcome(OutgoingMessage m, SendResult result) {
        if (result instanceof SendResult.Sent) {
            sent.mark();
            return Outcome.sent(m);
        }
        if (result instanceof SendResult.Permanent permanent) {
            failed.mark();
            return Outcome.failed(m, permanent.error());
        }
        SendResult.Transient t = (SendResult.Transient) result;
        if (retryPolicy.mayRetry(m.attemptsUsed())) {
            retried.mark();
            return Outcome.retry(m, t.error(), retryPolicy.delay(m.attemptsUsed(), t.retryAfter()));
        }
        failed.mark();
        return Outcome.failed(m, "gave up after " + m.attemptsUsed() + " attempt(s): " + t.error());
    }

    @Override
    public void close() throws InterruptedException {
        claimers.shutdown();
        claimers.awaitTermination(10, TimeUnit.SECONDS);
    }
}
