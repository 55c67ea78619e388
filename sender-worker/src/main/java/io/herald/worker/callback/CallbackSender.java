package io.herald.worker.callback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.common.callback.CallbackSignature;
import io.herald.common.model.MessageStatus;
import io.herald.common.channel.SendResult;
import io.herald.common.channel.SecretSource;
import io.herald.worker.http.HttpDelivery;
import io.herald.common.channel.builtin.SignedPost;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * POSTs one status callback through the webhooks' {@link HttpDelivery}, signed as webhooks are
 * (Standard Webhooks headers, with every secret of a rotation), and, for one release, also with the
 * older {@code X-Herald-Signature} made with the current secret. The answer is judged as a webhook's is.
 */
public final class CallbackSender {
    private final SignedPost post;
    private final ObjectMapper json;

    public CallbackSender(HttpDelivery http, SecretSource secrets, ObjectMapper json, Clock clock) {
        this.post = new SignedPost(http, secrets, clock);
        this.json = json;
    }

    public CompletableFuture<SendResult> send(CallbackLeases.Due d) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(payload(d));
        } catch (JsonProcessingException e) {
            return CompletableFuture.completedFuture(new SendResult.Permanent("callback payload: " + e.getOriginalMessage()));
        }
        String key = "herald-callback-" + d.id();
        return post.post(d.application(), d.url(), key, body, (headers, secrets, timestamp) -> {
            headers.put(CallbackSignature.TIMESTAMP_HEADER, Long.toString(timestamp));
            headers.put(CallbackSignature.SIGNATURE_HEADER, CallbackSignature.sign(secrets.get(0), timestamp, body));
            headers.put("Idempotency-Key", key);
            headers.put("X-Herald-Message-Id", Long.toString(d.messageId()));
        });
    }

    /** {@code {"id","application","status","attempts","error","createdAt","finishedAt","sentAt","callbackId"}}. */
    static Map<String, Object> payload(CallbackLeases.Due d) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", d.messageId());
        body.put("application", d.application());
        body.put("status", d.status().wireName());
        body.put("attempts", d.messageAttempts());
        body.put("error", d.error());
        body.put("createdAt", iso(d.createdAt()));
        body.put("finishedAt", iso(d.finishedAt()));
        body.put("sentAt", d.status() == MessageStatus.SENT ? iso(d.finishedAt()) : null);
        body.put("callbackId", d.id());
        return body;
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
