package io.herald.common.channel.builtin;

import io.herald.common.channel.Pacer;
import io.herald.common.channel.SendResult;
import io.herald.common.loop.NamedThreads;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sends through a {@link Pacer}: at once, after the key's next slot when it comes within {@code maxWait}
 * (the message keeps its send permit meanwhile), or not at all ({@link SendResult.Deferred}: put back
 * without spending an attempt, due when the slot comes). A 429 holds the key off for its Retry-After, or one interval.
 */
final class PacedPost implements AutoCloseable {
    private final Pacer pacer;
    private final Duration maxWait;
    private final String what;
    private final ScheduledExecutorService timer;

    PacedPost(Pacer pacer, Duration maxWait, String what, String workerId) {
        this.pacer = pacer;
        this.maxWait = maxWait;
        this.what = what;
        // Only starts sends, which are asynchronous: one thread keeps every paced key's slots.
        this.timer = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon(what + "-pace", workerId));
    }

    CompletableFuture<SendResult> post(String key, Supplier<CompletableFuture<SendResult>> send) {
        Pacer.Slot slot = pacer.reserve(key, maxWait);
        if (!slot.reserved()) {
            // Due again when the slot comes, not sooner: a URL held off by a 429 does not churn the queue.
            return CompletableFuture.completedFuture(new SendResult.Deferred(what + " paced at one send every "
                    + pacer.interval().toMillis() + " ms per destination; its next slot is " + slot.delay().toMillis() + " ms away",
                    slot.delay()));
        }
        Duration wait = slot.delay();
        CompletableFuture<SendResult> sent;
        if (wait.isZero()) {
            sent = safely(send);
        } else {
            sent = new CompletableFuture<>();
            CompletableFuture<SendResult> later = sent;
            timer.schedule(() -> {
                safely(send).whenComplete((r, failure) -> later.complete(r));
            }, wait.toNanos(), TimeUnit.NANOSECONDS);
        }
        return sent.thenApply(r -> {
            if (r instanceof SendResult.Transient t && t.cause() == SendResult.Cause.TOO_MANY_REQUESTS) {
                pacer.holdOff(key, t.retryAfter() != null ? t.retryAfter() : pacer.interval());
            }
            return r;
        });
    }

    private static CompletableFuture<SendResult> safely(Supplier<CompletableFuture<SendResult>> send) {
        try {
            return send.get().exceptionally(e -> SendResult.transientFailure("internal error: " + e));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(SendResult.transientFailure("internal error: " + e));
        }
    }

    @Override
    public void close() {
        timer.shutdown(); // sends already scheduled still start: their messages hold send permits
    }
}
