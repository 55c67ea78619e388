package io.herald.common.channel.builtin;

import io.herald.common.channel.ChannelPlugin;
import io.herald.common.channel.ChannelSender;
import io.herald.common.channel.ChannelServices;
import io.herald.common.channel.ChannelSetup;
import io.herald.common.channel.TargetCheck;
import io.herald.common.net.AddressGuard;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code slack}: Slack incoming webhooks ({@link SlackSender}). A target is the webhook's URL, https on one
 * of {@code channels.slack.allowedHosts}, and passes the same address guard as webhooks (again at connect time).
 */
public final class SlackChannel implements ChannelPlugin {
    @Override
    public String name() {
        return "slack";
    }

    @Override
    public Class<?> settingsType() {
        return SlackSettings.class;
    }

    @Override
    public List<String> problems(ChannelSetup setup) {
        return setup.settings(SlackSettings.class).allowedHosts.stream().filter(h -> h.isBlank() || h.contains("/") || h.contains(":"))
                .map(h -> "allowedHosts: '" + h + "' is not a host name").toList();
    }

    @Override
    public TargetCheck targets(ChannelSetup setup) {
        SlackSettings settings = setup.settings(SlackSettings.class);
        Set<String> hosts = settings.allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        AddressGuard guard = setup.config().webhook.guard();
        return target -> {
            Optional<String> refused = guard.refusal(target);
            if (refused.isPresent()) {
                return refused;
            }
            URI uri = URI.create(target); // the guard has parsed it
            if (!"https".equalsIgnoreCase(uri.getScheme()) && !settings.allowPlainHttp) {
                return Optional.of("must be an https URL");
            }
            if (!hosts.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
                return Optional.of("must be a Slack webhook URL on " + String.join(" or ", settings.allowedHosts));
            }
            return Optional.empty();
        };
    }

    @Override
    public ChannelSender open(ChannelSetup setup, ChannelServices services) {
        SlackSettings settings = setup.settings(SlackSettings.class);
        PacedPost paced = new PacedPost(services.pacer("slack", settings.ratePerSecond),
                settings.maxPaceWait(), "slack", services.workerId());
        return new SlackSender(services.http(), services.json(), paced);
    }
}
