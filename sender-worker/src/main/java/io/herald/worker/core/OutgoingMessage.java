package io.herald.worker.core;

import io.herald.common.channel.ChannelMessage;
import io.herald.common.channel.DigestEntry;
import io.herald.common.model.Channel;
import io.herald.common.model.Priority;
import io.herald.common.template.TemplateFormat;
import io.herald.common.webhook.RetrySchedule;
import java.time.Instant;
import java.util.List;

/**
 * A message this worker has reserved (its dedup reservation won) for one send attempt.
 *
 * @param attempt the attempt number now recorded in the database (1 for the first send)
 * @param retryBase attempts already used before the last operator requeue
 * @param template the template to render before sending, or null when subject and body are final
 * @param format how the body was rendered: text, HTML (an HTML template) or Slack blocks
 * @param digest for a digest, the messages it lists (its subject and body already list them); else null
 * @param fallback where the message goes if it fails for good here; null when its application has
 *     none, or when this already is the fallback
 * @param retrySchedule its application's own webhook retry schedule; null for the worker's
 * @param traceparent the W3C traceparent of the request that submitted it (checked on submission), or null
 * @param audience its {@code recipient} field and {@code category}, for the email's unsubscribe link; null: neither
 * @param dryRun a dry run: rendered, reserved and recorded as sent, but given to no channel
 */
public record OutgoingMessage(
        long id,
        String application,
        Channel channel,
        String target,
        String subject,
        String body,
        Priority priority,
        Instant createdAt,
        int attempt,
        int retryBase,
        TemplateRef template,
        TemplateFormat format,
        List<DigestEntry> digest,
        Fallback fallback,
        RetrySchedule retrySchedule,
        String traceparent,
        Audience audience,
        boolean dryRun) implements ChannelMessage {

    /** A message that is not a dry run, with no {@code recipient} field or category. */
    public OutgoingMessage(long id, String application, Channel channel, String target, String subject, String body, Priority priority,
                           Instant createdAt, int attempt, int retryBase, TemplateRef template, TemplateFormat format,
                           List<DigestEntry> digest, Fallback fallback, RetrySchedule retrySchedule, String traceparent) {
        this(id, application, channel, target, subject, body, priority, createdAt, attempt, retryBase, template, format, digest, fallback,
                retrySchedule, traceparent, null, false);
    }

    /** This message with its template rendered into {@code subject} and {@code body}. */
    public OutgoingMessage rendered(String subject, String body, TemplateFormat format) {
        return new OutgoingMessage(id, application, channel, target, subject, body, priority, createdAt, attempt, retryBase,
                null, format, digest, fallback, retrySchedule, traceparent, audience, dryRun);
    }

    /** Who the message is for, as opt-outs see it: its {@code recipient} field (null: the target) and {@code category} (may be null). */
    public record Audience(String recipient, String category) {}

    /** The key the recipient's opt-outs are kept under: the {@code recipient} field, else the target. */
    @Override
    public String recipient() {
        return audience == null || audience.recipient() == null ? target : audience.recipient();
    }

    /** The message's category, or null. */
    @Override
    public String category() {
        return audience == null ? null : audience.category();
    }

    /** The application's fallback channel and target. */
    public record Fallback(Channel channel, String target) {}

    @Override
    public boolean isDigest() {
        return digest != null;
    }

    /**
     * The message's dedup key, the same for every attempt: receivers see it as the Idempotency-Key
     * header and inside the Message-ID, so they can drop a repeat.
     */
    @Override
    public String dedupKey() {
        return dedupKey(id);
    }

    public static String dedupKey(long id) {
        return "herald-" + id;
    }

    /** The key of this attempt's row in {@code delivery}: unique, so an attempt is sent once. */
    public static String attemptKey(long id, int attempt) {
        return dedupKey(id) + "#" + attempt;
    }

    /** Attempts counted against the retry budget. */
    public int attemptsUsed() {
        return attempt - retryBase;
    }
}
