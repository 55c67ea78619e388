package io.herald.common.channel.builtin;

import io.herald.common.webhook.WebhookSignature;
import io.herald.common.channel.HttpAnswer;
import io.herald.common.channel.HttpPoster;
import io.herald.common.channel.SecretSource;
import io.herald.common.channel.SendResult;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A POST signed the Standard Webhooks way ({@link WebhookSignature}) with each of the application's current
 * secrets, through the worker's {@link HttpPoster}: what webhooks and status callbacks share. An application with no
 * secret fails for good, secrets that cannot be read fail transiently; neither sends anything.
 */
public record SignedPost(HttpPoster http, SecretSource secrets, Clock clock) {
    /**
     * Webhooks and callbacks: 2xx sent; 429 (honouring Retry-After), 408 and 5xx transient; any other status permanent,
     * and 410 Gone also says the target is gone (a webhook's goes on the suppression list; a callback's is only failed).
     */
    public static final HttpAnswer.Judge WEBHOOK_ANSWERS = HttpAnswer.usual("webhook").goneSuppresses();

    /** Headers a sender adds to the signed ones: its idempotency key, its ids, an older signature. */
    @FunctionalInterface
    public interface Headers {
        void add(Map<String, String> headers, List<String> secrets, long timestamp);
    }

    /** Signs {@code body} as {@code id} (the {@code webhook-id}) for {@code application} and posts it to {@code url}. */
    public CompletableFuture<SendResult> post(String application, String url, String id, byte[] body, Headers more) {
        List<String> signing;
        try {
            signing = secrets.of(application);
        } catch (SQLException e) {
            return CompletableFuture.completedFuture(SendResult.transientFailure("could not read the signing secret: " + e.getMessage()));
        }
        if (signing.isEmpty()) {
            return CompletableFuture.completedFuture(new SendResult.Permanent("application '" + application + "' has no signing secret"));
        }
        long timestamp = clock.instant().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(WebhookSignature.ID_HEADER, id);
        headers.put(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp));
        headers.put(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.header(signing, id, timestamp, body));
        more.add(headers, signing, timestamp);
        return http.post(url, headers, "application/json", body, WEBHOOK_ANSWERS);
    }
}
