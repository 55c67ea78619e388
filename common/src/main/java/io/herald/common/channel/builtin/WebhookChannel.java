package io.herald.common.channel.builtin;

import io.herald.common.channel.ChannelPlugin;
import io.herald.common.channel.ChannelSender;
import io.herald.common.channel.ChannelServices;
import io.herald.common.channel.ChannelSetup;
import io.herald.common.channel.TargetCheck;
import io.herald.common.net.AddressGuard;

/**
 * {@code webhook}: a signed JSON POST ({@link WebhookSender}). Its settings are the {@code webhook:} section;
 * {@code channels.webhook:} takes none. Targets are http(s) URLs the address guard lets through.
 */
public final class WebhookChannel implements ChannelPlugin {
    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public TargetCheck targets(ChannelSetup setup) {
        AddressGuard guard = setup.config().webhook.guard();
        return guard::refusal;
    }

    @Override
    public ChannelSender open(ChannelSetup setup, ChannelServices services) {
        return new WebhookSender(services.http(), services.secrets(), services.json(), services.clock());
    }
}
