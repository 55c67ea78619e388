package io.herald.master.api;

import io.herald.common.config.HeraldConfiguration;
import io.herald.common.model.Channel;
import io.herald.common.model.ControlCharacters;
import io.herald.common.model.EmailAddress;
import io.herald.common.net.AddressGuard;
import java.util.List;

/**
 * Where a tenant may send: email recipients a relay accepts ({@link EmailAddress}), http(s) URLs that
 * do not point inside the network ({@link AddressGuard}; names are checked again when they are
 * resolved, at connect time), and log targets without control characters.
 */
public final class Targets {
    public static final int MAX_TARGET_CHARS = 2_048;

    private final AddressGuard guard;
    private final boolean allowDomainLiterals;

    public Targets(AddressGuard guard, boolean allowDomainLiterals) {
        this.guard = guard;
        this.allowDomainLiterals = allowDomainLiterals;
    }

    public static Targets of(HeraldConfiguration config) {
        return new Targets(config.webhook.guard(), config.smtp.allowDomainLiterals);
    }

    public void check(Channel channel, String target, String field, List<FieldError> errors) {
        switch (channel) {
            case EMAIL -> EmailAddress.problem(target, allowDomainLiterals).ifPresent(p -> errors.add(new FieldError(field, p)));
            case WEBHOOK -> checkUrl(target, field, errors);
            case LOG -> {
                if (target.isBlank()) {
                    errors.add(new FieldError(field, "must not be blank"));
                } else if (ControlCharacters.any(target)) {
                    errors.add(new FieldError(field, "must not contain control characters"));
                }
            }
        }
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
