package io.herald.worker.callback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.common.callback.CallbackSignature;
import io.herald.worker.channel.WebhookSender;
import io.herald.worker.core.SendResult;
import io.herald.worker.db.CallbackStore;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * POSTs one status callback, signed with the application's secret, over the webhook channel's HTTP
 * client. The answer is judged as a webhook's is: 2xx delivered; 5xx, 408, 429, timeouts and
 * connection failures transient; any other status permanent.
 */
public final class CallbackSender {
    private final WebhookSender http;
    private final ObjectMapper json;
    private final Clock clock;

    public CallbackSender(WebhookSender http, ObjectMapper json, Clock clock) {
        this.http = http;
        this.json = json;
        this.clock = clock;
    }

    public CompletableFuture<SendResult> send(CallbackStore.Due d) {
        if (d.secret() == null) {
            return CompletableFuture.completedFuture(new SendResult.Permanent("application '" + d.application() + "' has no signing secret"));
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(payload(d));
        } catch (JsonProcessingException e) {
            return CompletableFuture.completedFuture(new SendResult.Permanent("callback payload: " + e.getOriginalMessage()));
        }
        long timestamp = clock.instant().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CallbackSignature.TIMESTAMP_HEADER, Long.toString(timestamp));
        headers.put(CallbackSignature.SIGNATURE_HEADER, CallbackSignature.sign(d.secret(), timestamp, body));
        headers.put("Idempotency-Key", "herald-callback-" + d.id());
        headers.put("X-Herald-Message-Id", Long.toString(d.messageId()));
        return http.post(d.url(), headers, body);
    }

    /** {@code {"id","application","status","attempts","error","createdAt","finishedAt","sentAt","callbackId"}}. */
    static Map<String, Object> payload(CallbackStore.Due d) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", d.messageId());
        body.put("application", d.application());
        body.put("status", d.status().wireName());
        body.put("attempts", d.messageAttempts());
        body.put("error", d.error());
        body.put("createdAt", iso(d.createdAt()));
        body.put("finishedAt", iso(d.finishedAt()));
        body.put("sentAt", d.status() == io.herald.common.model.MessageStatus.SENT ? iso(d.finishedAt()) : null);
        body.put("callbackId", d.id());
        return body;
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
