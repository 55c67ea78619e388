package io.herald.master.api;

/**
 * {@code GET /v1/fanouts/{id}}: one fan-out's progress. {@code total} subscribers it goes to, {@code created}
 * messages so far, and of those how many ended {@code sent}, {@code suppressed} (opted out), {@code dead},
 * {@code cancelled} or {@code rejected} (quota), as last counted at {@code countedAt}. {@code state}:
 * {@code creating}, {@code sending} (every message created), {@code done} (every message final), or {@code cancelled}
 * ({@code DELETE /v1/fanouts/{id}}: no further message created; {@code total} is what it had created).
 */
public record FanoutView(long id, String topic, String channel, String state, long total, long created, long sent,
                         long suppressed, long dead, long cancelled, long rejected, String createdAt, String countedAt) {}
