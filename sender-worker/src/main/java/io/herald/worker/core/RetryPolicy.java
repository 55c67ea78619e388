package io.herald.worker.core;

import io.herald.common.config.WorkerConfig;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter, for email and status callbacks: the n-th retry waits between half
 * and all of {@code min(max, base * 2^(n-1))}, and never less than the receiver's Retry-After capped at
 * {@code max}.
 * Half the delay is fixed so retries do not bunch up near zero; the other half spreads them out.
 */
public final class RetryPolicy implements Retries {
    private final int maxAttempts;
    private final long baseMillis;
    private final long maxMillis;
    private final DoubleSupplier random;

    public RetryPolicy(int maxAttempts, Duration base, Duration max, DoubleSupplier random) {
        this.maxAttempts = maxAttempts;
        this.baseMillis = base.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
    }

    public static RetryPolicy from(WorkerConfig config) {
        return jittered(config.maxAttempts, config.retryBackoffBase, config.retryBackoffMax);
    }

    /** The policy for status callbacks: their own attempts and backoff. */
    public static RetryPolicy forCallbacks(WorkerConfig config) {
        return jittered(config.callbackMaxAttempts, config.callbackBackoffBase, config.callbackBackoffMax);
    }

    private static RetryPolicy jittered(int maxAttempts, io.dropwizard.util.Duration base, io.dropwizard.util.Duration max) {
        return new RetryPolicy(maxAttempts, Duration.ofMillis(base.toMilliseconds()), Duration.ofMillis(max.toMilliseconds()), Math::random);
    }

    @Override
    public boolean mayRetry(int attemptsUsed) {
        return attemptsUsed < maxAttempts;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    @Override
    public Duration delay(int attemptsUsed, Duration retryAfter) {
        int exponent = Math.max(0, Math.min(attemptsUsed - 1, 30));
        // Compare before shifting: base * 2^exponent may not fit in a long.
        long ceiling = baseMillis > (maxMillis >> exponent) ? maxMillis : baseMillis << exponent;
        long jittered = ceiling / 2 + (long) (random.getAsDouble() * (ceiling - ceiling / 2));
        long asked = retryAfter == null ? 0 : retryAfter.compareTo(Duration.ofMillis(maxMillis)) > 0 ? maxMillis : retryAfter.toMillis();
        long wait = Math.max(jittered, asked);
        return Duration.ofMillis(wait);
    }
}
