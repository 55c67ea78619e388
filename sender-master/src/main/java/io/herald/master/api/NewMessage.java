package io.herald.master.api;

import io.herald.common.model.Channel;
import io.herald.common.model.Priority;
import java.time.Instant;

/**
 * A validated submission, ready to store. {@code subject}, {@code idempotencyKey} may be null. A
 * templated message has {@code template} and {@code templateContext} (a JSON object as text) and no
 * subject or body; the worker renders them at send time. {@code callbackUrl}, if not null, gets the
 * final status (README, "Callbacks"). {@code sendAt}, if not null, is when it becomes due ({@link SendAt}).
 * {@code cancelKey}, if not null, labels it for {@code DELETE /v1/messages?cancelKey=}. {@code dryRun}: the message
 * goes the whole way but no channel is given it (its application's dry-run setting is added at insert).
 */
public record NewMessage(
        String application,
        Channel channel,
        String target,
        String subject,
        String body,
        Priority priority,
        String idempotencyKey,
        String template,
        String templateContext,
        String callbackUrl,
        Instant sendAt,
        String cancelKey,
        Audience audience,
        boolean dryRun) {
    /** A message that asks for no dry run. */
    public NewMessage(String application, Channel channel, String target, String subject, String body, Priority priority,
                      String idempotencyKey, String template, String templateContext, String callbackUrl, Instant sendAt,
                      String cancelKey, Audience audience) {
        this(application, channel, target, subject, body, priority, idempotencyKey, template, templateContext, callbackUrl, sendAt,
                cancelKey, audience, false);
    }

    /** No recipient, category or critical flag: the recipient is the target. */
    public static final Audience ANYONE = new Audience(null, null, false);

    /**
     * Who the message is for, as opt-outs see it: {@code recipient} (null: the target), its {@code category}
     * (may be null), and {@code critical}, which bypasses opt-outs.
     */
    public record Audience(String recipient, String category, boolean critical) {
        /** The recipient opt-outs are kept under: the {@code recipient} field, else the target. */
        public String recipientOf(String target) {
            return recipient == null ? target : recipient;
        }
    }
}
