package io.herald.master.api;

/**
 * {@code GET /v1/messages/{id}}. Times are ISO-8601 instants in UTC; {@code sentAt} and {@code error} may be null.
 * {@code digestId} is the digest the message was folded into (docs/DELIVERY-POLICY.md), or null.
 * {@code ambiguousAttempts} counts attempts whose request reached the receiver but whose answer was lost
 * (docs/RELIABILITY.md): the receiver may have acted on each. {@code sendAt} is the time the application asked it to be
 * sent at, or null; until then its status is {@code scheduled}.
 */
public record MessageView(long id, String status, int attempts, int ambiguousAttempts, String createdAt, String sentAt, String error,
                          Long digestId, String sendAt) {}
