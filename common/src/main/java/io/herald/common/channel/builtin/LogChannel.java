package io.herald.common.channel.builtin;

import io.herald.common.channel.ChannelPlugin;
import io.herald.common.channel.ChannelSender;
import io.herald.common.channel.ChannelServices;
import io.herald.common.channel.ChannelSetup;
import io.herald.common.channel.TargetCheck;
import io.herald.common.model.ControlCharacters;
import java.util.Optional;

/** {@code log}: writes the message to the worker's log ({@link LogSender}). Any target without control characters. */
public final class LogChannel implements ChannelPlugin {
    @Override
    public String name() {
        return "log";
    }

    @Override
    public TargetCheck targets(ChannelSetup setup) {
        return target -> {
            if (target.isBlank()) {
                return Optional.of("must not be blank");
            }
            return ControlCharacters.any(target) ? Optional.of("must not contain control characters") : Optional.empty();
        };
    }

    @Override
    public ChannelSender open(ChannelSetup setup, ChannelServices services) {
        return new LogSender(services.workerId());
    }
}
