package io.herald.common.channel;

import java.util.List;
import java.util.Optional;

/**
 * A delivery channel, found by {@link java.util.ServiceLoader} on every node's class path (a jar that lists
 * its class in {@code META-INF/services/io.herald.common.channel.ChannelPlugin}); see docs/CHANNELS.md.
 * The built-in channels (email, webhook, log, slack, sms) are plug-ins like any other.
 *
 * <p>Every node loads the plug-ins once at start-up ({@link Channels#load}): the master uses a channel's name
 * and its {@link #targets target check} for every submitted message, the worker also {@linkplain #open opens}
 * its sender. Nothing here is looked up per message.
 *
 * <p>Implementations need a public no-argument constructor and must be thread-safe; state belongs in the
 * sender that {@link #open} returns.
 */
public interface ChannelPlugin {
    /**
     * The channel's name on the API, in the database and in metrics: 1 to 16 lower-case letters, digits,
     * {@code _} or {@code -}, starting with a letter. Two plug-ins with one name stop the node from starting.
     */
    String name();

    /**
     * The class {@code channels.<name>:} in config.yml is bound to (Jackson, then bean validation); a
     * missing section binds as {@code {}}, so every field needs a default. Unknown properties are refused.
     */
    default Class<?> settingsType() {
        return NoSettings.class;
    }

    /** Checks across settings that bean validation cannot express; any problem stops the node from starting. */
    default List<String> problems(ChannelSetup setup) {
        return List.of();
    }

    /**
     * Why this channel cannot take messages with this configuration (a provider with no account set), or
     * empty. The API then refuses the channel with a 400 naming {@code channel}, and workers open no sender.
     */
    default Optional<String> unavailable(ChannelSetup setup) {
        return Optional.empty();
    }

    /** The check every target of this channel passes at the API (a 400 naming {@code target} otherwise). Built once. */
    TargetCheck targets(ChannelSetup setup);

    /**
     * Opens the channel's sender on a worker, once at start-up; closed when the worker stops, after its last send.
     * A failure stops the worker from starting.
     */
    ChannelSender open(ChannelSetup setup, ChannelServices services) throws Exception;
}
