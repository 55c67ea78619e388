package io.herald.master.api;

/**
 * A template as the API shows it: {@code GET /v1/templates/{channel}/{name}} and the list. Times are
 * ISO-8601 instants in UTC; {@code subject} may be null.
 */
public record TemplateView(String channel, String name, String subject, String body, String format, String createdAt, String updatedAt) {}
