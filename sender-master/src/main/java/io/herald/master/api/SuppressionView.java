package io.herald.master.api;

/**
 * One entry of an application's suppression list. {@code source}: {@code smtp} (a hard bounce), {@code webhook}
 * (410 Gone) or {@code api}; {@code messageId} the message whose failure added it, if any; {@code expiresAt}
 * null when it lasts until removed. An expired entry ({@code expired}) suppresses nothing and is deleted soon.
 */
public record SuppressionView(String channel, String target, String reason, String source, Long messageId, String createdAt,
                              String expiresAt, boolean expired) {}
