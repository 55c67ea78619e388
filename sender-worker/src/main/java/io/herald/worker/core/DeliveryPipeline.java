package io.herald.worker.core;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.herald.common.channel.ChannelSender;
import io.herald.common.channel.SendResult;
import io.herald.common.logging.MessageMdc;
import io.herald.common.loop.NamedThreads;
import io.herald.common.model.Channel;
import io.herald.common.queue.DispatchTask;
import io.herald.common.template.TemplateException;
import io.herald.worker.metrics.DeliveryMetrics;
import io.herald.worker.metrics.DeliveryMetrics.Status;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;

/**
 * Turns a queue task into sends: reserve the task's messages (dedup reservation first, in one transaction), send each
 * through its channel with at most {@code maxInFlight} sends in flight on this worker, and queue each
 * outcome for the batched writer. The task's stage completes when every outcome is in the database.
 */
public final class DeliveryPipeline implements AutoCloseable {
    private final String workerId;
    private final DedupReservations reservations;
    private final Map<Channel, ChannelSender> senders;
    private final OutcomeRecorder recorder;
    private final MessageRenderer renderer;
    private final RetryPolicy retryPolicy;
    private final ScheduledRetries webhookRetries;
    private final Duration sendLease;
    private final Semaphore inFlight;
    /** Messages reserved in one transaction: at most half the send permits, so two chunks overlap. */
    private final int chunkSize;
    /** Reservations run here, off the task-taking thread; waiting for send permits happens here too. */
    private final ExecutorService reservers;
    private final DeliveryMetrics delivery;
    private final Meter blockedDuplicates;
    private final Meter ambiguous;
    private final Meter internalErrors;
    private final Map<SendResult.Cause, Meter> webhookRetriesByCause = new EnumMap<>(SendResult.Cause.class);

    public DeliveryPipeline(String workerId, DedupReservations reservations, Map<Channel, ChannelSender> senders,
                            OutcomeRecorder recorder, MessageRenderer renderer, RetryPolicy retryPolicy,
                            ScheduledRetries webhookRetries, int maxInFlight, Duration sendLease, MetricRegistry metrics,
                            DeliveryMetrics delivery) {
        this.workerId = workerId;
        this.reservations = reservations;
        this.senders = Map.copyOf(senders);
        this.recorder = recorder;
        this.renderer = renderer;
        this.retryPolicy = retryPolicy;
        this.webhookRetries = webhookRetries;
        this.sendLease = sendLease;
        this.inFlight = new Semaphore(maxInFlight);
        this.chunkSize = Math.max(1, maxInFlight / 2);
        this.reservers = NamedThreads.pool("reserver", workerId, 2);
        this.delivery = delivery;
        this.blockedDuplicates = metrics.meter("herald.messages.blocked_duplicates");
        this.ambiguous = metrics.meter("herald.messages.ambiguous_attempts");
        this.internalErrors = metrics.meter("herald.worker.send_internal_errors");
        for (SendResult.Cause cause : SendResult.Cause.values()) {
            webhookRetriesByCause.put(cause, metrics.meter("herald.webhook.retries." + cause.metricName()));
        }
        metrics.gauge("herald.worker.sends_in_flight", () -> () -> maxInFlight - inFlight.availablePermits());
    }

    /**
     * Handles one task; the stage fails if a reservation could not be written, and the task is then retaken.
     *
     * <p>The task is reserved in chunks, each only once send permits for all of it are held: a message
     * is marked sending just before it is sent, so a worker that dies leaves at most {@code maxInFlight}
     * messages in the unknown state, not a whole task.
     */
    public CompletableFuture<Void> handle(DispatchTask task) {
        return CompletableFuture.supplyAsync(() -> reserveAndSend(task), reservers).thenCompose(stage -> stage);
    }

    private CompletableFuture<Void> reserveAndSend(DispatchTask task) {
        List<Long> ids = task.messageIds();
        List<CompletableFuture<Void>> recorded = new ArrayList<>(ids.size());
        for (int from = 0; from < ids.size(); from += chunkSize) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + chunkSize));
            acquirePermits(chunk.size());
            DedupReservations.Reservation reservation;
            try {
                reservation = reservations.reserve(chunk, sendLease);
            } catch (SQLException e) {
                inFlight.release(chunk.size());
                // Sends already started finish and record; the task is then released and retaken.
                return CompletableFuture.allOf(recorded.toArray(CompletableFuture[]::new))
                        .thenCompose(done -> CompletableFuture.failedFuture(e));
            }
            inFlight.release(reservation.blocked());
            blockedDuplicates.mark(reservation.blocked());
            for (OutgoingMessage message : reservation.mine()) {
                recorded.add(sendOne(message));
            }
        }
        return CompletableFuture.allOf(recorded.toArray(CompletableFuture[]::new));
    }

    private void acquirePermits(int permits) {
        try {
            inFlight.acquire(permits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    /**
     * Sends one reserved message and records its outcome. The send permit is given back exactly once,
     * when the outcome is written or whatever went wrong: a message is in flight for as long as it is
     * {@code sending}, so a worker that dies leaves at most {@code maxInFlight} unknown.
     */
    private CompletableFuture<Void> sendOne(OutgoingMessage reserved) {
        CompletableFuture<Void> recorded;
        try {
            recorded = renderThenSend(reserved);
        } catch (RuntimeException e) {
            recorded = CompletableFuture.failedFuture(e);
        }
        return recorded.whenComplete((written, failure) -> {
            inFlight.release();
            if (failure != null) {
                internalErrors.mark();
            }
        });
    }

    /** Renders off this thread (bounded in time and work), then sends; a render that fails fails its message alone. */
    private CompletableFuture<Void> renderThenSend(OutgoingMessage reserved) {
        return renderer.render(reserved).handle((message, failure) -> {
            if (failure == null) {
                return sendAndRecord(message);
            }
            // Nothing was sent; a template that cannot render will not render on a retry either.
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            String error = cause instanceof TemplateException ? cause.getMessage() : cause.toString();
            return recorder.record(outcome(reserved, new SendResult.Permanent("template: " + error)));
        }).thenCompose(recorded -> recorded);
    }

    private CompletableFuture<Void> sendAndRecord(OutgoingMessage message) {
        if (message.dryRun()) {
            // Rendered, reserved and recorded like any message; only the channel is left out.
            delivery.outcome(Status.DRY_RUN, message.channel());
            return recorder.record(Outcome.dryRun(message));
        }
        long started = System.nanoTime();
        CompletableFuture<SendResult> result;
        // The send's own log lines (the log channel's delivery line among them) name the message in fields.
        try (MessageMdc ignored = MessageMdc.open(workerId, message.id(), message.application())) {
            ChannelSender sender = senders.get(message.channel());
            // A channel the master took but this worker lacks (a plug-in not yet everywhere): another worker may have it.
            result = sender != null ? sender.send(message)
                    : CompletableFuture.completedFuture(SendResult.transientFailure("channel '" + message.channel() + "' is not installed on " + workerId));
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result
                .handle((r, failure) -> r != null ? r : SendResult.transientFailure("internal error in " + workerId + ": " + failure))
                .thenCompose(r -> {
                    delivery.sendDuration(message.channel(), System.nanoTime() - started);
                    return recorder.record(safeOutcome(message, r));
                });
    }

    /** The outcome; if judging it fails, a dead letter that says why, rather than a message left sending. */
    private Outcome safeOutcome(OutgoingMessage m, SendResult result) {
        try {
            return outcome(m, result);
        } catch (RuntimeException e) {
            internalErrors.mark();
            return Outcome.dead(m, "internal error in " + workerId + " judging the result " + result + ": " + e);
        }
    }

    Outcome outcome(OutgoingMessage m, SendResult result) {
        if (result instanceof SendResult.Sent) {
            delivery.sent(m.channel(), m.createdAt());
            return Outcome.sent(m);
        }
        if (result instanceof SendResult.Permanent permanent) {
            Outcome failed = failedForGood(m, permanent.error());
            // A digest's target is its messages' target too; a fallback is suppressed on its own channel only.
            return permanent.targetGone() ? failed.suppressingTarget() : failed;
        }
        if (result instanceof SendResult.Deferred deferred) {
            delivery.outcome(Status.NOT_ATTEMPTED, m.channel());
            return Outcome.notAttempted(m, deferred.reason(), deferred.delay());
        }
        SendResult.Transient t = (SendResult.Transient) result;
        Outcome outcome = retryOrGiveUp(m, t);
        if (t.ambiguous()) {
            ambiguous.mark();
            return outcome.asAmbiguous();
        }
        return outcome;
    }

    private Outcome retryOrGiveUp(OutgoingMessage m, SendResult.Transient t) {
        Retries retries = Channel.WEBHOOK.equals(m.channel()) ? webhookRetries.forMessage(m) : retryPolicy;
        if (retries.mayRetry(m.attemptsUsed())) {
            delivery.outcome(Status.RETRIED, m.channel());
            if (Channel.WEBHOOK.equals(m.channel())) {
                webhookRetriesByCause.get(t.cause()).mark();
            }
            return Outcome.retry(m, t.error(), retries.delay(m.attemptsUsed(), t.retryAfter()));
        }
        return failedForGood(m, "gave up after " + m.attemptsUsed() + " attempt(s): " + t.error());
    }

    /** A permanent failure, or retries used up: the application's fallback if it has one, else a dead letter. */
    private Outcome failedForGood(OutgoingMessage m, String error) {
        if (m.fallback() != null) {
            delivery.outcome(Status.FELL_BACK, m.channel());
            return Outcome.fallback(m, error);
        }
        delivery.outcome(Status.DEAD_LETTERED, m.channel());
        return Outcome.dead(m, error);
    }

    @Override
    public void close() throws InterruptedException {
        NamedThreads.shutdown(reservers, "reservers", workerId, Duration.ofSeconds(10));
        renderer.close();
    }
}
