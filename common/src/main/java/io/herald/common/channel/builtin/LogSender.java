package io.herald.common.channel.builtin;

import io.herald.common.channel.ChannelMessage;
import io.herald.common.channel.ChannelSender;
import static io.herald.common.model.ControlCharacters.escape;

import io.herald.common.channel.SendResult;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code log} channel: writes the message to the service's log. For demos and dry runs. */
public final class LogSender implements ChannelSender {
    private static final Logger DELIVERIES = LoggerFactory.getLogger("herald.delivery");

    private final String workerId;

    public LogSender(String workerId) {
        this.workerId = workerId;
    }

    @Override
    public CompletableFuture<SendResult> send(ChannelMessage m) {
        // Tenants' text is escaped: a CR LF in a target or body cannot start a forged log line.
        DELIVERIES.info("[{}] delivered message {} ({}) from {} to {}: {} | {}", workerId, m.id(), m.dedupKey(),
                m.application(), escape(m.target()), m.subject() == null ? "" : escape(m.subject()), escape(m.body()));
        return CompletableFuture.completedFuture(SendResult.SENT);
    }
}
