package io.herald.common.channel;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The worker's outbound HTTP, for channels that talk to an HTTP provider: every address a destination
 * resolves to is checked against the worker's address guard before connecting (webhook.allowNetworks,
 * docs/SECURITY.md), answers are read bounded (webhook.maxResponseBytes), each destination has its own
 * lane (an adaptive concurrency limit and a circuit breaker), and redirects are not followed.
 *
 * <p>Failures without a whole answer are classified here: refused connections, failed TLS handshakes and
 * blocked addresses were not sent (blocked addresses are permanent); a timeout or a connection lost once
 * the request had a connection is transient and {@linkplain SendResult.Transient#ambiguous() ambiguous}.
 * A destination that is paused or full completes with {@link SendResult.Deferred}.
 */
public interface HttpPoster {
    /** POSTs {@code body} with these headers; {@code judge} classifies the answer. The stage never fails. */
    CompletableFuture<SendResult> post(String url, Map<String, String> headers, String contentType, byte[] body, HttpAnswer.Judge judge);
}
