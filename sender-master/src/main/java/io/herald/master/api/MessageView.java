package io.herald.master.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.herald.master.policy.QueuePosition;

/**
 * {@code GET /v1/messages/{id}}. Times are ISO-8601 instants in UTC; {@code sentAt} and {@code error} may be null.
 * {@code digestId} is the digest the message was folded into (docs/DELIVERY-POLICY.md), or null.
 * {@code ambiguousAttempts} counts attempts whose request reached the receiver but whose answer was lost
 * (docs/RELIABILITY.md): the receiver may have acted on each. {@code sendAt} is the time the application asked it to be
 * sent at, or null; until then its status is {@code scheduled}. {@code dryRun}: the message (or its application, when
 * it was submitted) asked for a dry run: it goes the whole way, but nothing leaves the worker.
 *
 * <p>Only on an immediate answer for a {@code queued} or {@code scheduled} message (README, "Queue position"):
 * {@code position}, the messages of its application ahead of it, {@code positionAtLeast} when that count
 * reached {@code api.queuePositionCap} and there are more, and {@code estimatedDispatchAt} (absent without an estimate).
 */
public record MessageView(long id, String status, int attempts, int ambiguousAttempts, String createdAt, String sentAt, String error,
                          Long digestId, String sendAt, boolean dryRun,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Long position,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Boolean positionAtLeast,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String estimatedDispatchAt) {
    public MessageView(long id, String status, int attempts, int ambiguousAttempts, String createdAt, String sentAt, String error,
                       Long digestId, String sendAt, boolean dryRun) {
        this(id, status, attempts, ambiguousAttempts, createdAt, sentAt, error, digestId, sendAt, dryRun, null, null, null);
    }

    /** This view with the message's place in its queue. */
    public MessageView at(QueuePosition p) {
        return new MessageView(id, status, attempts, ambiguousAttempts, createdAt, sentAt, error, digestId, sendAt, dryRun, p.ahead(), p.atLeast(),
                p.estimatedDispatchAt() == null ? null : p.estimatedDispatchAt().toString());
    }
}
