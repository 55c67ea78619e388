package io.herald.worker.core;

import io.herald.common.model.MessageStatus;
import java.time.Duration;

/**
 * The database write that ends one attempt.
 *
 * @param status sent, dead (a dead letter: permanent failure or retries used up), or queued (a retry)
 * @param retryDelay for a retry, how long until the next attempt is due
 */
public record Outcome(long messageId, int attempt, MessageStatus status, String error, Duration retryDelay) {
    public static Outcome sent(OutgoingMessage m) {
        return new Outcome(m.id(), m.attempt(), MessageStatus.SENT, null, Duration.ZERO);
    }

    public static Outcome dead(OutgoingMessage m, String error) {
        return new Outcome(m.id(), m.attempt(), MessageStatus.DEAD, error, Duration.ZERO);
    }

    public static Outcome retry(OutgoingMessage m, String error, Duration delay) {
        return new Outcome(m.id(), m.attempt(), MessageStatus.QUEUED, error, delay);
    }
}
