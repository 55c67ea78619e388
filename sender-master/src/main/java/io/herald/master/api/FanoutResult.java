package io.herald.master.api;

/**
 * The answer to a message sent to a topic: the fan-out's id, its state and how many subscribers it goes to;
 * {@code duplicate}: an earlier fan-out had the same idempotency key, and this is that one.
 */
public record FanoutResult(long fanoutId, String state, long total, boolean duplicate) {}
