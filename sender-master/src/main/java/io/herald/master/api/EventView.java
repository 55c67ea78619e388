package io.herald.master.api;

/**
 * One entry of {@code GET /v1/messages/{id}/events}: the status a message changed to, when (ISO-8601,
 * UTC, the database clock), which node made the change, and why.
 */
public record EventView(String status, String at, String node, String reason) {}
