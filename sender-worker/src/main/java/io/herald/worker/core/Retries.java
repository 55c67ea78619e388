package io.herald.worker.core;

import java.time.Duration;

/** When a failed attempt is tried again. */
public interface Retries {
    /** Whether a message that has used {@code attemptsUsed} attempts may be tried again. */
    boolean mayRetry(int attemptsUsed);

    /** How long to wait after the {@code attemptsUsed}-th failed attempt; {@code retryAfter} is the receiver's wish, or null. */
    Duration delay(int attemptsUsed, Duration retryAfter);
}
