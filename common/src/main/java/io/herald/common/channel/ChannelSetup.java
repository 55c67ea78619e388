package io.herald.common.channel;

import io.herald.common.config.HeraldConfiguration;
import io.herald.common.model.Channel;

/**
 * What a channel is set up from: its own settings ({@code channels.<name>:}, bound and validated) and the
 * node's whole configuration (the built-in email and webhook channels read {@code smtp:} and {@code webhook:}).
 */
public record ChannelSetup(Channel channel, Object settings, HeraldConfiguration config) {
    public <T> T settings(Class<T> type) {
        return type.cast(settings);
    }
}
