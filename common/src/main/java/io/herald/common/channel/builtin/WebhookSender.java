package io.herald.common.channel.builtin;

import io.herald.common.channel.ChannelMessage;
import io.herald.common.channel.ChannelSender;
import io.herald.common.channel.DigestEntry;
import io.herald.common.channel.HttpPoster;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.common.webhook.WebhookSignature;
import io.herald.common.channel.SendResult;
import io.herald.common.channel.SecretSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code webhook} channel: POSTs the message as JSON through the worker's {@link HttpPoster}, signed the
 * Standard Webhooks way ({@link WebhookSignature}) with the application's secrets. {@code webhook-id}
 * and {@code Idempotency-Key} carry the message's dedup key, the same on every attempt, so a receiver
 * can drop a repeat; {@code X-Herald-Message-Id} carries Herald's id.
 */
public final class WebhookSender implements ChannelSender {
    private final SignedPost post;
    private final ObjectMapper json;

    public WebhookSender(HttpPoster http, SecretSource secrets, ObjectMapper json, Clock clock) {
        this.post = new SignedPost(http, secrets, clock);
        this.json = json;
    }

    @Override
    public CompletableFuture<SendResult> send(ChannelMessage m) {
        byte[] body;
        try {
            body = payload(m);
        } catch (JsonProcessingException e) {
            return CompletableFuture.completedFuture(new SendResult.Permanent("invalid webhook request: " + e.getOriginalMessage()));
        }
        return post.post(m.application(), m.target(), m.dedupKey(), body, (headers, secrets, timestamp) -> {
            headers.put("Idempotency-Key", m.dedupKey());
            headers.put("X-Herald-Message-Id", Long.toString(m.id()));
            headers.put("X-Herald-Attempt", Integer.toString(m.attempt()));
            if (m.traceparent() != null) {
                // Passed on as the submitter sent it: Herald reports no spans of its own, so a parent id of
                // ours would name a span no tracer ever sees; the receiver's span becomes the submit's child.
                headers.put("traceparent", m.traceparent());
            }
        });
    }

    private byte[] payload(ChannelMessage m) throws JsonProcessingException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", m.id());
        body.put("application", m.application());
        body.put("channel", m.channel().wireName());
        body.put("target", m.target());
        body.put("subject", m.subject());
        body.put("body", m.body());
        body.put("priority", m.priority().wireName());
        body.put("createdAt", m.createdAt() == null ? null : m.createdAt().toString());
        if (m.isDigest()) {
            body.put("digest", digest(m));
        }
        return json.writeValueAsBytes(body);
    }

    /** A digest's messages, for receivers that read them one by one rather than from its body. */
    private static Map<String, Object> digest(ChannelMessage m) {
        List<Map<String, Object>> messages = new ArrayList<>();
        for (DigestEntry e : m.digest()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", e.id());
            entry.put("subject", e.subject());
            entry.put("body", e.body());
            entry.put("priority", e.priority().wireName());
            entry.put("createdAt", e.createdAt() == null ? null : e.createdAt().toString());
            messages.add(entry);
        }
        return Map.of("count", messages.size(), "messages", messages);
    }
}
