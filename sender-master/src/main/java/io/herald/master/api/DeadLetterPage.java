package io.herald.master.api;

import java.util.List;

/**
 * {@code GET /v1/dead-letters}: dead letters oldest first. {@code nextCursor} is null on the last page;
 * otherwise pass it as {@code cursor} to get the next one.
 */
public record DeadLetterPage(List<DeadLetterView> deadLetters, String nextCursor) {}
