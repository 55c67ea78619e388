package io.herald.worker.callback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.common.callback.CallbackSignature;
import io.herald.common.model.MessageStatus;
import io.herald.worker.channel.WebhookSender;
import io.herald.worker.core.SendResult;
import io.herald.worker.core.SecretSource;
import io.herald.worker.http.HttpDelivery;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * POSTs one status callback through the webhooks' {@link HttpDelivery}, signed as webhooks are
 * (Standard Webhooks headers, with every secret of a rotation), and, for one release, also with the
 * older {@code X-Herald-Signature} made with the current secret. The answer is judged as a webhook's is.
 */
public final class CallbackSender {
    private final HttpDelivery http;
    private final SecretSource secrets;
    private final ObjectMapper json;
    private final Clock clock;

    public CallbackSender(HttpDelivery http, SecretSource secrets, ObjectMapper json, Clock clock) {
        this.http = http;
        this.secrets = secrets;
        this.json = json;
        this.clock = clock;
    }

    public CompletableFuture<SendResult> send(CallbackLeases.Due d) {
        byte[] body;
        List<String> signing;
        try {
            body = json.writeValueAsBytes(payload(d));
            signing = secrets.of(d.application());
        } catch (JsonProcessingException e) {
            return CompletableFuture.completedFuture(new SendResult.Permanent("callback payload: " + e.getOriginalMessage()));
        } catch (SQLException e) {
            return CompletableFuture.completedFuture(SendResult.transientFailure("could not read the signing secret: " + e.getMessage()));
        }
        if (signing.isEmpty()) {
            return CompletableFuture.completedFuture(new SendResult.Permanent("application '" + d.application() + "' has no signing secret"));
        }
        long timestamp = clock.instant().getEpochSecond();
        String key = "herald-callback-" + d.id();
        Map<String, String> headers = WebhookSender.signedHeaders(signing, key, timestamp, body);
        headers.put(CallbackSignature.TIMESTAMP_HEADER, Long.toString(timestamp));
        headers.put(CallbackSignature.SIGNATURE_HEADER, CallbackSignature.sign(signing.get(0), timestamp, body));
        headers.put("Idempotency-Key", key);
        headers.put("X-Herald-Message-Id", Long.toString(d.messageId()));
        return http.post(d.url(), headers, body);
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
