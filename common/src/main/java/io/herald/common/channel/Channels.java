package io.herald.common.channel;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.herald.common.config.HeraldConfiguration;
import io.herald.common.model.Channel;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The channels installed on this node: every {@link ChannelPlugin} on the class path, each with its settings
 * bound from {@code channels.<name>:} and validated. Loaded once at start-up; a bad plug-in or bad settings
 * stop the node with every problem named. Lookups afterwards are map reads.
 */
public final class Channels {
    /** One installed channel: its plug-in, its setup, its target check, and why it is unavailable (or empty). */
    public record Installed(ChannelPlugin plugin, ChannelSetup setup, TargetCheck targets, Optional<String> unavailable) {
        public Channel channel() {
            return setup.channel();
        }
    }

    private final Map<String, Installed> byName;

    private Channels(Map<String, Installed> byName) {
        this.byName = Collections.unmodifiableMap(new TreeMap<>(byName)); // by name: error messages list them in order
    }

    /** The plug-ins {@link ServiceLoader} finds through this class's loader (a node's class path). */
    public static Channels load(HeraldConfiguration config, ObjectMapper json, Validator validator) {
        List<ChannelPlugin> plugins = new ArrayList<>();
        ServiceLoader.load(ChannelPlugin.class, Channels.class.getClassLoader()).forEach(plugins::add);
        return of(plugins, config, json, validator);
    }

    /** These plug-ins; throws IllegalArgumentException naming every problem (printed without a stack trace at start-up). */
    public static Channels of(Collection<ChannelPlugin> plugins, HeraldConfiguration config, ObjectMapper json, Validator validator) {
        List<String> problems = new ArrayList<>();
        Map<String, Installed> byName = new TreeMap<>();
        ObjectMapper strict = json.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        for (ChannelPlugin plugin : plugins) {
            String name = plugin.name();
            String where = plugin.getClass().getName();
            if (!Channel.isName(name)) {
                problems.add(where + ": channel name '" + name + "' must be 1 to 16 lower-case letters, digits, _ or -, starting with a letter");
            } else if (byName.containsKey(name)) {
                problems.add("two plug-ins are named '" + name + "': " + byName.get(name).plugin().getClass().getName() + " and " + where);
            } else {
                install(plugin, config, strict, validator, problems).ifPresent(i -> byName.put(name, i));
            }
        }
        Set<String> claimed = plugins.stream().map(ChannelPlugin::name).collect(Collectors.toSet());
        for (String section : config.channels.keySet()) {
            if (!claimed.contains(section)) {
                problems.add("channels." + section + ": no channel plug-in named '" + section + "' on the class path; installed: "
                        + String.join(", ", byName.keySet()));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("channel plug-ins: " + String.join("; ", problems));
        }
        return new Channels(byName);
    }

    private static Optional<Installed> install(ChannelPlugin plugin, HeraldConfiguration config, ObjectMapper json,
                                               Validator validator, List<String> problems) {
        String name = plugin.name();
        JsonNode section = config.channels.get(name);
        if (section == null || section.isNull()) {
            section = JsonNodeFactory.instance.objectNode();
        }
        Object settings;
        try {
            settings = json.treeToValue(section, plugin.settingsType());
        } catch (Exception e) {
            problems.add("channels." + name + ": " + firstLine(e.getMessage()));
            return Optional.empty();
        }
        int before = problems.size();
        for (ConstraintViolation<Object> v : validator.validate(settings)) {
            problems.add("channels." + name + "." + v.getPropertyPath() + " " + v.getMessage());
        }
        ChannelSetup setup = new ChannelSetup(new Channel(name), settings, config);
        if (problems.size() == before) {
            plugin.problems(setup).forEach(p -> problems.add("channels." + name + ": " + p));
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new Installed(plugin, setup, plugin.targets(setup), plugin.unavailable(setup)));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "cannot be read";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    /** The installed channel of this name, or empty. */
    public Optional<Installed> find(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    public Optional<Installed> find(Channel channel) {
        return find(channel.wireName());
    }

    /** Every installed channel, by name. */
    public Collection<Installed> all() {
        return byName.values();
    }

    /** The names a request may use, as an error message lists them: {@code email|log|...}. */
    public String allowedValues() {
        return byName.values().stream().filter(i -> i.unavailable().isEmpty()).map(i -> i.channel().wireName())
                .collect(Collectors.joining("|"));
    }

    /**
     * The channel a request names, if it is installed and available: else why not, worded to follow the
     * field's name ("channel ...").
     */
    public Lookup lookup(String name) {
        Installed installed = name == null ? null : byName.get(name);
        if (installed == null) {
            return new Lookup(null, "unknown channel '" + name + "'; one of " + allowedValues());
        }
        if (installed.unavailable().isPresent()) {
            return new Lookup(null, "'" + name + "' is not available on this cluster: " + installed.unavailable().get());
        }
        return new Lookup(installed, null);
    }

    /** What {@link #lookup} found: the channel, or the problem. */
    public record Lookup(Installed installed, String problem) {
        public Optional<Channel> channel() {
            return Optional.ofNullable(installed).map(Installed::channel);
        }
    }
}
