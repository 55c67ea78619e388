package io.herald.master.api;

/**
 * {@code GET /v1/messages/{id}}. Times are ISO-8601 instants in UTC; {@code sentAt} and {@code error} may be null.
 * {@code digestId} is the digest the message was folded into (docs/DELIVERY-POLICY.md), or null.
 */
public record MessageView(long id, String status, int attempts, String createdAt, String sentAt, String error, Long digestId) {}
