package io.herald.master.api;

/**
 * {@code GET /v1/recipients/imports/{id}}: a bulk import's progress. {@code state} is {@code running},
 * {@code done} or {@code failed} (with {@code error}); {@code recipients} counts the recipients stored so far.
 */
public record ImportView(String id, String state, long recipients, String error, String startedAt, String updatedAt) {}
