package io.herald.common.channel.builtin;

import io.herald.common.channel.ChannelPlugin;
import io.herald.common.channel.ChannelSender;
import io.herald.common.channel.ChannelServices;
import io.herald.common.channel.ChannelSetup;
import io.herald.common.channel.TargetCheck;
import io.herald.common.model.EmailAddress;

/**
 * {@code email}: SMTP ({@link EmailSender}). Its settings are the {@code smtp:} section, as before channels
 * were plug-ins; {@code channels.email:} takes none. Targets are addresses a relay accepts ({@link EmailAddress}).
 */
public final class EmailChannel implements ChannelPlugin {
    @Override
    public String name() {
        return "email";
    }

    @Override
    public TargetCheck targets(ChannelSetup setup) {
        boolean domainLiterals = setup.config().smtp.allowDomainLiterals;
        return target -> EmailAddress.problem(target, domainLiterals);
    }

    @Override
    public ChannelSender open(ChannelSetup setup, ChannelServices services) throws Exception {
        // Every email carries its signed one-click unsubscribe link, from the node's unsubscribe: section.
        return new EmailSender(setup.config().smtp, new UnsubscribeLinks(setup.config().unsubscribe), services);
    }
}
