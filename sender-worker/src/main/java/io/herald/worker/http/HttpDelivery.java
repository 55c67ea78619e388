package io.herald.worker.http;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.herald.common.config.WebhookConfig;
import io.herald.common.channel.HttpAnswer;
import io.herald.common.channel.HttpPoster;
import io.herald.common.channel.SendResult;
import io.herald.common.channel.builtin.SignedPost;
import io.herald.common.channel.SendResult.Cause;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.client.AbstractConnectionPool;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Herald's outbound HTTP: every webhook, Slack and SMS send and every status callback goes through here, over one
 * non-blocking Jetty {@link HttpClient} (HTTP/1.1, and HTTP/2 where a TLS receiver offers it by ALPN),
 * each destination in its own {@link Lane}.
 *
 * <p>What counts as an attempt: a request that failed before it had a connection (connection
 * refused, a failed TLS handshake) could not have been acted on; it is retried at once, up to {@code webhook.unsentRetries} times, and only if those fail
 * too is it reported, as a transient failure that is not ambiguous. A failure once the request had a
 * connection (a timeout, the connection dropped before the answer, a pooled connection the receiver
 * closed as it was reused, which Jetty's pool mostly avoids by watching idle connections) may have
 * been acted on: it is reported as {@linkplain SendResult.Transient#ambiguous() ambiguous}. Jetty's
 * commit notification is not the line: a receiver that reads the request and closes at once can beat it.
 */
public final class HttpDelivery implements HttpPoster, AutoCloseable {
    private final HttpClient client;
    private final Lanes lanes;
    private final long timeoutMillis;
    private final long slowAnswerNanos;
    private final int unsentRetries;
    private final int maxResponseBytes;
    private final Duration longestRetryAfter;
    private final Clock clock;
    private final Map<Cause, Meter> unsentRetried = new EnumMap<>(Cause.class);

    /**
     * @param allowedAddress checked on every address a destination resolves to, before connecting
     * @param longestRetryAfter a receiver's Retry-After is capped at this
     */
    public HttpDelivery(WebhookConfig config, String workerId, Predicate<InetAddress> allowedAddress, SslContextFactory.Client tls,
                        Duration longestRetryAfter, Clock clock, MetricRegistry metrics) {
        this.client = JettyClient.create(config, workerId, allowedAddress, tls);
        this.lanes = new Lanes(new Lane.Settings(config.initialLimitPerDestination, config.maxConnectionsPerDestination,
                config.maxQueuedPerDestination, Duration.ofMillis(config.maxQueueWait.toMilliseconds()), config.pauseAfterFailures,
                Duration.ofMillis(config.pauseDuration.toMilliseconds())),
                metrics);
        this.timeoutMillis = config.requestTimeout.toMilliseconds();
        this.slowAnswerNanos = config.slowAnswer.toNanoseconds();
        this.unsentRetries = config.unsentRetries;
        this.maxResponseBytes = config.maxResponseBytes;
        this.longestRetryAfter = longestRetryAfter;
        this.clock = clock;
        for (Cause cause : Cause.values()) {
            unsentRetried.put(cause, metrics.meter("herald.webhook.unsent_retries." + cause.metricName()));
        }
        metrics.gauge("herald.webhook.connections_open", () -> this::connectionsOpen);
        try {
            client.start();
            // Jetty adds its protocol handlers when it starts. Without them there are no authentication
            // challenges, 100-continue or upgrades: every answer is judged as it came.
            client.getProtocolHandlers().clear();
        } catch (Exception e) {
            throw new IllegalStateException("the webhook HTTP client did not start: " + e.getMessage(), e);
        }
    }

    /** The production client: the JVM's trust store, every address allowed until an address policy is given. */
    public static SslContextFactory.Client defaultTls() {
        return new SslContextFactory.Client();
    }

    /**
     * POSTs a JSON body with these headers in the destination's lane, its answer judged as a webhook's. The stage always completes
     * normally, with the attempt's result: {@link SendResult.Deferred} when the lane did not send it.
     */
    public CompletableFuture<SendResult> post(String url, Map<String, String> headers, byte[] body) {
        return post(url, headers, "application/json", body, SignedPost.WEBHOOK_ANSWERS);
    }

    @Override
    public CompletableFuture<SendResult> post(String url, Map<String, String> headers, String contentType, byte[] body,
                                              HttpAnswer.Judge judge) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new SendResult.Permanent("invalid URL " + url + ": " + e.getMessage()));
        }
        if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            return CompletableFuture.completedFuture(new SendResult.Permanent("invalid URL " + url + ": not an absolute http(s) URL"));
        }
        Lane lane = lanes.lane(uri);
        Exchange exchange = new Exchange(lane, uri, headers, contentType, body, judge);
        lane.admit(exchange, System.nanoTime());
        return exchange.result;
    }

    /** One message's way through its lane: queued, then sent (and resent while nothing was written), then judged. */
    private final class Exchange implements Lane.Waiter {
        final Lane lane;
        final URI uri;
        final Map<String, String> headers;
        final String contentType;
        final byte[] body;
        final HttpAnswer.Judge judge;
        final CompletableFuture<SendResult> result = new CompletableFuture<>();
        boolean probe;
        int unsentFailures;
        long startedNanos;

        Exchange(Lane lane, URI uri, Map<String, String> headers, String contentType, byte[] body, HttpAnswer.Judge judge) {
            this.lane = lane;
            this.uri = uri;
            this.headers = headers;
            this.contentType = contentType;
            this.body = body;
            this.judge = judge;
        }

        @Override
        public void start(boolean probe) {
            this.probe = probe;
            this.startedNanos = System.nanoTime();
            try {
                send();
            } catch (RuntimeException e) {
                finish(new SendResult.Permanent("invalid request to " + uri + ": " + e.getMessage()), Lane.Verdict.NEUTRAL);
            }
        }

        @Override
        public void defer(String reason, Duration wait) {
            result.complete(new SendResult.Deferred(reason, wait));
        }

        private void send() {
            long started = System.nanoTime();
            Attempt attempt = new Attempt(new BoundedAnswer(maxResponseBytes));
            Request request = client.newRequest(uri).method(HttpMethod.POST)
                    .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                    .headers(h -> headers.forEach(h::put))
                    .body(new BytesRequestContent(contentType, body))
                    // From the moment the request has a connection, bytes may reach the receiver: Jetty's
                    // commit notification can lose the race with a receiver that reads the whole body and
                    // closes (the drill's close-after-accept found a repeat counted as unsent). Only what
                    // fails before that (refused, TLS handshake, blocked address) is certainly not sent.
                    .onRequestBegin(r -> attempt.written = true)
                    .onResponseContent(attempt.answer);
            request.send(r -> completed(attempt, r, System.nanoTime() - started));
        }

        private void completed(Attempt attempt, Result r, long elapsedNanos) {
            try {
                // An answer counts when it arrived whole, even if sending the request's body failed first.
                if (r.getResponseFailure() == null && r.getResponse() != null && r.getResponse().getStatus() > 0) {
                    answered(r.getResponse(), attempt.answer, elapsedNanos);
                } else {
                    failed(r.getFailure(), attempt);
                }
            } catch (RuntimeException e) {
                finish(SendResult.transientFailure("internal error judging the answer from " + uri + ": " + e), Lane.Verdict.NEUTRAL);
            }
        }

        private void answered(Response response, BoundedAnswer answer, long elapsedNanos) {
            SendResult judged = judge(response, answer, judge);
            Lane.Verdict verdict = judged instanceof SendResult.Transient ? Lane.Verdict.FAILED
                    : elapsedNanos > slowAnswerNanos ? Lane.Verdict.SLOW : Lane.Verdict.GOOD;
            finish(judged, verdict);
        }

        private void failed(Throwable failure, Attempt attempt) {
            if (failure instanceof AddressCheckingResolver.BlockedAddressException) {
                finish(new SendResult.Permanent(failure.getMessage()), Lane.Verdict.NEUTRAL);
                return;
            }
            Cause cause = cause(failure, attempt.written);
            if (!attempt.written && cause != Cause.TIMEOUT && unsentFailures < unsentRetries) {
                unsentFailures++;
                unsentRetried.get(cause).mark();
                send(); // nothing reached the receiver: not an attempt, and Jetty has dropped the failed connection
                return;
            }
            String what = attempt.written ? "request sent, answer lost: " : "request not sent: ";
            finish(new SendResult.Transient(what + describe(failure), null, cause, attempt.written), Lane.Verdict.FAILED);
        }

        private void finish(SendResult r, Lane.Verdict verdict) {
            long now = System.nanoTime();
            lane.finished(verdict, probe, now - startedNanos, now);
            result.complete(r);
        }
    }

    /** One try on the wire: whether the request got a connection (so may have been written), and the answer read so far. */
    private static final class Attempt {
        final BoundedAnswer answer;
        volatile boolean written;

        Attempt(BoundedAnswer answer) {
            this.answer = answer;
        }
    }

    /** The provider's answer as its channel's judge reads it: status, Retry-After (capped) and the body's first KiB. */
    SendResult judge(Response response, BoundedAnswer answer, HttpAnswer.Judge judge) {
        Duration retryAfter = RetryAfter.parse(response.getHeaders().get(HttpHeader.RETRY_AFTER), clock.instant(), longestRetryAfter);
        return judge.judge(new HttpAnswer(response.getStatus(), retryAfter, answer.excerpt()));
    }

    static Cause cause(Throwable failure, boolean written) {
        if (failure instanceof TimeoutException || failure instanceof BoundedAnswer.AnswerTooLargeException) {
            return Cause.TIMEOUT;
        }
        if (failure instanceof ConnectException) {
            return Cause.REFUSED;
        }
        if (failure instanceof SSLException) {
            return Cause.TLS;
        }
        if (failure instanceof EOFException || failure instanceof ClosedChannelException || failure instanceof IOException) {
            return written ? Cause.CONNECTION_LOST : Cause.STALE_CONNECTION;
        }
        return Cause.OTHER;
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private int connectionsOpen() {
        return client.getDestinations().stream()
                .mapToInt(d -> d.getConnectionPool() instanceof AbstractConnectionPool pool ? pool.getConnectionCount() : 0)
                .sum();
    }

    /** The lanes' current state, for tests and the admin port. */
    public Lanes lanes() {
        return lanes;
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the webhook HTTP client did not stop cleanly: " + e.getMessage(), e);
        }
    }
}
