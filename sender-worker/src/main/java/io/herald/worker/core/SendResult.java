package io.herald.worker.core;

import java.time.Duration;

/** What one send attempt came to, as a channel reports it. */
public sealed interface SendResult {
    /** The receiver accepted the message. */
    record Sent() implements SendResult {}

    /**
     * The receiver refused for now, or the send timed out: try again later.
     *
     * @param retryAfter the receiver's own wait (HTTP Retry-After), or null
     */
    record Transient(String error, Duration retryAfter) implements SendResult {}

    /** The receiver refused for good: fail the message now. */
    record Permanent(String error) implements SendResult {}

    SendResult SENT = new Sent();

    static SendResult transientFailure(String error) {
        return new Transient(error, null);
    }
}
