package io.herald.worker.core;

import java.util.concurrent.CompletableFuture;

/**
 * Delivers messages over one channel. {@link #send} must not block the caller for the length of the
 * send, and its stage always completes with a {@link SendResult}, never exceptionally: every failure
 * is classified as transient or permanent.
 */
public interface ChannelSender extends AutoCloseable {
    CompletableFuture<SendResult> send(OutgoingMessage message);

    @Override
    default void close() {}
}
