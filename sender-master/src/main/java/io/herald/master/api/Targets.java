package io.herald.master.api;

import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.herald.common.channel.Channels;
import io.herald.common.config.HeraldConfiguration;
import io.herald.common.model.Channel;
import io.herald.common.model.EmailAddress;
import io.herald.common.net.AddressGuard;
import java.util.List;
import java.util.Optional;

/**
 * Which channels a request may name and where each may send: every channel installed on this master
 * ({@link Channels}, the plug-ins on its class path) checks its own targets. Callback URLs pass the
 * webhooks' address guard ({@link AddressGuard}; names are checked again when they are resolved).
 */
public final class Targets {
    public static final int MAX_TARGET_CHARS = 2_048;

    private final Channels channels;
    private final AddressGuard guard;

    public Targets(Channels channels, AddressGuard guard) {
        this.channels = channels;
        this.guard = guard;
    }

    public static Targets of(Channels channels, HeraldConfiguration config) {
        return new Targets(channels, config.webhook.guard());
    }

    /** The channels on the class path with this configuration's settings: for tools and tests. */
    public static Targets of(HeraldConfiguration config) {
        return of(Channels.load(config, Jackson.newObjectMapper(), Validators.newValidator()), config);
    }

    public Channels channels() {
        return channels;
    }

    /** The channel a request names, or null with the problem added under {@code field}. */
    public Channel channel(String name, String field, List<FieldError> errors) {
        Channels.Lookup lookup = channels.lookup(name);
        if (lookup.problem() != null) {
            errors.add(new FieldError(field, lookup.problem()));
            return null;
        }
        return lookup.channel().orElseThrow();
    }

    public void check(Channel channel, String target, String field, List<FieldError> errors) {
        Optional<Channels.Installed> installed = channels.find(channel);
        if (installed.isEmpty()) {
            errors.add(new FieldError(field, "cannot be checked: channel '" + channel + "' is not installed"));
            return;
        }
        installed.get().targets().problem(target).ifPresent(p -> errors.add(new FieldError(field, p)));
        JsonInput.checkLength(target, MAX_TARGET_CHARS, field, errors);
    }

    /** A webhook target or a callback URL. */
    public void checkUrl(String url, String field, List<FieldError> errors) {
        guard.refusal(url).ifPresent(p -> errors.add(new FieldError(field, p)));
    }

    /** An operator's address (an application's owner), always without a domain literal. */
    public static boolean isEmailAddress(String address) {
        return EmailAddress.problem(address, false).isEmpty();
    }
}
