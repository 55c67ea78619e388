package io.herald.common.channel;

import java.util.concurrent.CompletableFuture;

/**
 * Delivers messages over one channel; opened once per worker by {@link ChannelPlugin#open}. {@link #send}
 * must not block the caller for the length of the send, and its stage always completes with a
 * {@link SendResult}, never exceptionally: that result is the channel's classification of the attempt
 * (sent; transient, and then whether it is ambiguous; permanent; or deferred, not attempted).
 */
public interface ChannelSender extends AutoCloseable {
    CompletableFuture<SendResult> send(ChannelMessage message);

    @Override
    default void close() {}
}
