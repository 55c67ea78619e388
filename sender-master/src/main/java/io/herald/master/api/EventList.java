package io.herald.master.api;

import java.util.List;

/**
 * {@code GET /v1/messages/{id}/events}: every status change of the message, oldest first. {@code dryRun}: the message
 * was a dry run, and its {@code sent} event says nothing left the worker.
 */
public record EventList(long id, boolean dryRun, List<EventView> events) {}
