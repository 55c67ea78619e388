package io.herald.common.channel;

import java.time.Duration;

/** What one send attempt came to, as a channel reports it. */
public sealed interface SendResult {
    /** Why a transient failure happened; retries are counted by it. */
    enum Cause {
        REFUSED("refused"), STALE_CONNECTION("stale_connection"), TLS("tls"), TIMEOUT("timeout"),
        CONNECTION_LOST("connection_lost"), SERVER_ERROR("5xx"), TOO_MANY_REQUESTS("429"), OTHER("other");

        private final String metricName;

        Cause(String metricName) {
            this.metricName = metricName;
        }

        public String metricName() {
            return metricName;
        }
    }

    /** The receiver accepted the message. */
    record Sent() implements SendResult {}

    /**
     * The receiver refused for now, or the send failed: try again later.
     *
     * @param retryAfter the receiver's own wait (HTTP Retry-After), or null
     * @param ambiguous whether the request was written before the failure, so the receiver may have
     *     acted on it (a timeout, a connection dropped before the answer)
     */
    record Transient(String error, Duration retryAfter, Cause cause, boolean ambiguous) implements SendResult {}

    /**
     * The receiver refused for good: fail the message now.
     *
     * @param targetGone the refusal says the target itself is gone (a mailbox that does not exist, a webhook
     *     answering 410): it goes on the application's suppression list, so later messages are not sent to it
     */
    record Permanent(String error, boolean targetGone) implements SendResult {
        public Permanent(String error) {
            this(error, false);
        }
    }

    /**
     * Not attempted: the destination is paused or full. The message waits {@code delay} without
     * spending one of its attempts.
     */
    record Deferred(String reason, Duration delay) implements SendResult {}

    SendResult SENT = new Sent();

    /** A failure before anything reached the receiver. */
    static SendResult transientFailure(String error) {
        return new Transient(error, null, Cause.OTHER, false);
    }
}
