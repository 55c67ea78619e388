package io.herald.common.channel;

import io.herald.common.model.Channel;
import io.herald.common.model.Priority;
import io.herald.common.template.TemplateFormat;
import java.time.Instant;
import java.util.List;

/**
 * One message as a channel's sender sees it: rendered (a template's subject and body are final), reserved
 * for this attempt, and already checked against the application's policy.
 */
public interface ChannelMessage {
    /** Herald's id of the message. */
    long id();

    String application();

    Channel channel();

    /** Where it goes, as the API accepted it ({@link ChannelPlugin#targets}). */
    String target();

    /** The subject, or null (channels without subjects may ignore it). */
    String subject();

    String body();

    /** How the body was rendered: plain text, HTML (email), or Slack blocks (a JSON array). */
    TemplateFormat format();

    default boolean html() {
        return format() == TemplateFormat.HTML;
    }

    Priority priority();

    Instant createdAt();

    /** The attempt number now recorded in the database (1 for the first send). */
    int attempt();

    /** The W3C traceparent of the request that submitted it, or null. */
    String traceparent();

    /**
     * Whom the message is for, as opt-outs and the suppression list key it: the message's {@code recipient} field,
     * else its target. Email signs it into the one-click unsubscribe link.
     */
    default String recipient() {
        return target();
    }

    /** The message's category (opt-outs are kept per category), or null; a digest has none. */
    default String category() {
        return null;
    }

    /** For a digest, the messages it lists (its subject and body already list them); else null. */
    List<DigestEntry> digest();

    default boolean isDigest() {
        return digest() != null;
    }

    /**
     * The same on every attempt: send it as the provider's idempotency key where there is one, so the
     * provider can drop a repeat after an ambiguous attempt.
     */
    default String dedupKey() {
        return "herald-" + id();
    }
}
