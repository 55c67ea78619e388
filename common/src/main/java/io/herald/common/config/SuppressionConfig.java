package io.herald.common.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.NotNull;

/** The suppression list (README, "Suppression list"): addresses Herald no longer sends to. */
public class SuppressionConfig {
    /** Ten years: longer is a typo, and would overflow nothing but still mean "forever". */
    private static final long MAX_TTL_DAYS = 3650;

    /**
     * How long an entry lasts when neither its {@code expiresAt} nor anything else says: 0 (the default) means
     * until removed. Applies to entries workers record after a hard bounce or a 410, and to entries added
     * through the API without {@code expiresAt}.
     */
    @NotNull @JsonProperty public Duration defaultTtl = Duration.seconds(0);

    @ValidationMethod(message = "suppression.defaultTtl must be 0 (entries last until removed) or at most 3650 days")
    public boolean isDefaultTtlValid() {
        return defaultTtl == null || (defaultTtl.getQuantity() >= 0 && defaultTtl.toDays() <= MAX_TTL_DAYS);
    }

    /** The default lifetime, or null for none. */
    public java.time.Duration ttl() {
        return defaultTtl.getQuantity() == 0 ? null : defaultTtl.toJavaDuration();
    }
}
