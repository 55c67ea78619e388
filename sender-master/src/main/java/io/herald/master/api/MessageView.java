package io.herald.master.api;

/** {@code GET /v1/messages/{id}}. Times are ISO-8601 instants in UTC; {@code sentAt} and {@code error} may be null. */
public record MessageView(long id, String status, int attempts, String createdAt, String sentAt, String error) {}
