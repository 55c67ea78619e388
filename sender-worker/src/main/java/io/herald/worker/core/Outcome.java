package io.herald.worker.core;

import io.herald.common.model.MessageStatus;
import io.herald.common.model.MessageTransition;
import java.time.Duration;

/**
 * The database write that ends one attempt.
 *
 * @param status sent, dead (a dead letter: permanent failure or retries used up), or queued (a retry, or a fallback)
 * @param retryDelay for a retry, how long until the next attempt is due
 * @param fallback for a fallback, the channel and target the message goes to next; else null
 * @param digest whether the message is a digest, whose listed messages take its final outcome
 * @param ambiguous the attempt's request was written but its answer lost: the receiver may have acted on it
 * @param notAttempted nothing was sent (the destination was paused or full): the attempt is given back
 * @param suppressTarget the receiver said the target is gone: the outcome's transaction puts it on the suppression list
 *
 * <p>A sent outcome has no error, except a dry run's, which carries {@link #DRY_RUN} for the audit trail.
 */
public record Outcome(long messageId, int attempt, MessageStatus status, String error, Duration retryDelay,
                      OutgoingMessage.Fallback fallback, boolean digest, boolean ambiguous, boolean notAttempted,
                      boolean suppressTarget) {
    /** The note a dry run's sent outcome carries. */
    public static final String DRY_RUN = "dry run: nothing left the worker";

    public Outcome(long messageId, int attempt, MessageStatus status, String error, Duration retryDelay,
                   OutgoingMessage.Fallback fallback, boolean digest, boolean ambiguous, boolean notAttempted) {
        this(messageId, attempt, status, error, retryDelay, fallback, digest, ambiguous, notAttempted, false);
    }

    /** A dry run: sent as far as Herald is concerned, though no channel was given it. */
    public static Outcome dryRun(OutgoingMessage m) {
        return new Outcome(m.id(), m.attempt(), MessageStatus.SENT, DRY_RUN, Duration.ZERO, null, m.isDigest(), false, false);
    }

    public boolean isDryRun() {
        return status == MessageStatus.SENT && DRY_RUN.equals(error);
    }

    public static Outcome sent(OutgoingMessage m) {
        return new Outcome(m.id(), m.attempt(), MessageStatus.SENT, null, Duration.ZERO, null, m.isDigest(), false, false);
    }

    public static Outcome dead(OutgoingMessage m, String error) {
        return new Outcome(m.id(), m.attempt(), MessageStatus.DEAD, error, Duration.ZERO, null, m.isDigest(), false, false);
    }

    public static Outcome retry(OutgoingMessage m, String error, Duration delay) {
        return new Outcome(m.id(), m.attempt(), MessageStatus.QUEUED, error, delay, null, m.isDigest(), false, false);
    }

    /** Failed for good on its channel: queued at once on the application's fallback. */
    public static Outcome fallback(OutgoingMessage m, String error) {
        return new Outcome(m.id(), m.attempt(), MessageStatus.QUEUED, error, Duration.ZERO, m.fallback(), m.isDigest(), false, false);
    }

    /** Not sent at all: queued again after {@code wait}, without spending one of the message's attempts. */
    public static Outcome notAttempted(OutgoingMessage m, String reason, Duration wait) {
        return new Outcome(m.id(), m.attempt(), MessageStatus.QUEUED, reason, wait, null, m.isDigest(), false, true);
    }

    /** This outcome, for an attempt whose request was written and whose answer was lost. */
    public Outcome asAmbiguous() {
        return new Outcome(messageId, attempt, status, error, retryDelay, fallback, digest, true, notAttempted, suppressTarget);
    }

    /** This outcome, whose failure also puts the message's target on its application's suppression list. */
    public Outcome suppressingTarget() {
        return new Outcome(messageId, attempt, status, error, retryDelay, fallback, digest, ambiguous, notAttempted, true);
    }

    public boolean isFallback() {
        return fallback != null;
    }

    /** The change this outcome makes, from sending (or unknown, when the send lease ran out first). */
    public MessageTransition transition() {
        if (isFallback()) {
            return MessageTransition.FALL_BACK;
        }
        return switch (status) {
            case SENT -> MessageTransition.DELIVER;
            case QUEUED -> MessageTransition.RETRY;
            case DEAD -> MessageTransition.FAIL;
            default -> throw new IllegalStateException("an attempt cannot end " + status.wireName());
        };
    }
}
