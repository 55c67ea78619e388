package io.herald.master.api;

import java.util.List;

/** {@code GET /v1/messages/{id}/events}: every status change of the message, oldest first. */
public record EventList(long id, List<EventView> events) {}
