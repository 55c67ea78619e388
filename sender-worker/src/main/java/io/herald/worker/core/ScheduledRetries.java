package io.herald.worker.core;

import io.herald.common.webhook.RetrySchedule;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Webhook retries on a schedule ({@link RetrySchedule}), each step spread by {@code ±jitter}. A
 * receiver's Retry-After is honoured when it asks for longer than the step, up to the schedule's
 * longest step, so a receiver cannot park a message beyond the schedule's own horizon.
 */
public record ScheduledRetries(RetrySchedule schedule, double jitter, DoubleSupplier random) implements Retries {
    /** The schedule a message follows: its application's own, else this one. */
    public ScheduledRetries forMessage(OutgoingMessage m) {
        return m.retrySchedule() == null ? this : new ScheduledRetries(m.retrySchedule(), jitter, random);
    }

    @Override
    public boolean mayRetry(int attemptsUsed) {
        return attemptsUsed < schedule.maxAttempts();
    }

    @Override
    public Duration delay(int attemptsUsed, Duration retryAfter) {
        long step = schedule.step(attemptsUsed).toMillis(); // at most RetrySchedule.MAX_STEP: no overflow below
        long spread = (long) (step * jitter * (2 * random.getAsDouble() - 1));
        long wait = step + spread;
        if (retryAfter != null) {
            long cap = schedule.longestStep().toMillis();
            wait = Math.max(wait, retryAfter.compareTo(Duration.ofMillis(cap)) > 0 ? cap : retryAfter.toMillis());
        }
        return Duration.ofMillis(Math.max(0, wait));
    }
}
