package io.herald.master.api;

/**
 * One dead letter in {@code GET /v1/dead-letters}: a message that failed permanently or used up its
 * retries, with its last error. Times are ISO-8601 instants in UTC from the database clock.
 */
public record DeadLetterView(
        long id,
        String application,
        String channel,
        String target,
        String subject,
        int attempts,
        String error,
        String createdAt,
        String deadAt) {}
