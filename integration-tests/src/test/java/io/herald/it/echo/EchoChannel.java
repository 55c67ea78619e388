package io.herald.it.echo;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.herald.common.channel.ChannelMessage;
import io.herald.common.channel.ChannelPlugin;
import io.herald.common.channel.ChannelSender;
import io.herald.common.channel.ChannelServices;
import io.herald.common.channel.ChannelSetup;
import io.herald.common.channel.SendResult;
import io.herald.common.channel.TargetCheck;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The example channel of docs/CHANNELS.md: {@code echo} keeps every message it is given in {@link #DELIVERED}.
 * Registered in this module's test resources (META-INF/services/io.herald.common.channel.ChannelPlugin), so
 * masters and workers started by the tests find it on their class path, as they would a plug-in's jar.
 */
public final class EchoChannel implements ChannelPlugin {
    /** What every echo sender was given, as target|body|dedup key. */
    public static final List<String> DELIVERED = new CopyOnWriteArrayList<>();

    /** {@code channels.echo:} in config.yml. */
    public static class Settings {
        /** Every target must start with this. */
        @NotEmpty @JsonProperty public String prefix = "echo:";
    }

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public Class<?> settingsType() {
        return Settings.class;
    }

    @Override
    public TargetCheck targets(ChannelSetup setup) {
        String prefix = setup.settings(Settings.class).prefix;
        return target -> target.startsWith(prefix) ? Optional.empty() : Optional.of("must start with " + prefix);
    }

    @Override
    public ChannelSender open(ChannelSetup setup, ChannelServices services) {
        return new ChannelSender() {
            @Override
            public CompletableFuture<SendResult> send(ChannelMessage m) {
                if (m.body().contains("refuse")) {
                    return CompletableFuture.completedFuture(new SendResult.Permanent("echo refused the body"));
                }
                DELIVERED.add(m.target() + "|" + m.body() + "|" + m.dedupKey());
                return CompletableFuture.completedFuture(SendResult.SENT);
            }
        };
    }
}
