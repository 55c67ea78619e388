package io.herald.worker.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.common.config.WebhookConfig;
import io.herald.worker.core.OutgoingMessage;
import io.herald.worker.core.SendResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The {@code webhook} channel: POSTs the message as JSON over a keep-alive HTTP/1.1 client, with
 * {@code Idempotency-Key} set to the message's dedup key so the receiver can drop a repeat.
 *
 * <p>2xx is sent. 429 and 408 are transient (429 honours Retry-After), as are 5xx, timeouts and
 * connection failures. Any other status is permanent. A timeout is ambiguous: the receiver may have
 * acted on the request, which is why the key is stable across attempts. Redirects are not followed.
 */
public final class WebhookSender implements ChannelSender {
    private final HttpClient client;
    private final ExecutorService executor;
    private final Duration requestTimeout;
    private final ObjectMapper json;

    public WebhookSender(WebhookConfig config, ObjectMapper json, String workerId) {
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "webhook-" + workerId);
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(config.connectTimeout.toMilliseconds()))
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
        this.requestTimeout = Duration.ofMillis(config.requestTimeout.toMilliseconds());
        this.json = json;
    }

    @Override
    public CompletableFuture<SendResult> send(OutgoingMessage m) {
        byte[] body;
        try {
            body = payload(m);
        } catch (JsonProcessingException e) {
            return CompletableFuture.completedFuture(new SendResult.Permanent("invalid webhook request: " + e.getMessage()));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Idempotency-Key", m.dedupKey());
        headers.put("X-Herald-Message-Id", Long.toString(m.id()));
        headers.put("X-Herald-Attempt", Integer.toString(m.attempt()));
        return post(m.target(), headers, body);
    }

    /** POSTs a JSON body with these headers; also carries status callbacks, over the same connections. */
    public CompletableFuture<SendResult> post(String url, Map<String, String> headers, byte[] body) {
        HttpRequest request;
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                    .timeout(requestTimeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Herald");
            headers.forEach(builder::header);
            request = builder.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new SendResult.Permanent("invalid request to " + url + ": " + e.getMessage()));
        }
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, failure) -> failure == null ? classify(response) : classify(failure));
    }

    private byte[] payload(OutgoingMessage m) throws JsonProcessingException {
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
    private static Map<String, Object> digest(OutgoingMessage m) {
        List<Map<String, Object>> messages = new ArrayList<>();
        for (OutgoingMessage.DigestEntry e : m.digest()) {
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

    static SendResult classify(HttpResponse<?> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return SendResult.SENT;
        }
        String error = "webhook answered HTTP " + status;
        if (status == 429) {
            return new SendResult.Transient(error, retryAfter(response.headers().firstValue("Retry-After").orElse(null), Instant.now()));
        }
        if (status == 408 || status >= 500) {
            return SendResult.transientFailure(error);
        }
        return new SendResult.Permanent(error);
    }

    private static SendResult classify(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof HttpTimeoutException) {
            return SendResult.transientFailure("webhook timed out: " + cause.getMessage());
        }
        if (cause instanceof IOException) {
            return SendResult.transientFailure("webhook connection failed: " + cause);
        }
        return new SendResult.Permanent("webhook request failed: " + cause);
    }

    /** Retry-After as delta-seconds or an HTTP-date; null when absent or unreadable. */
    static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
