package io.herald.common.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import io.herald.common.net.AddressGuard;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/** The HTTP client the webhook channel posts with. */
public class WebhookConfig {
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration connectTimeout = Duration.seconds(5);

    /** A POST with no response by then is a timeout: transient, and its outcome ambiguous. */
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration requestTimeout = Duration.seconds(10);

    /**
     * Comma-separated networks (CIDR) that webhooks and callbacks may reach although they are inside the
     * network (loopback, private, link-local ...); see {@link AddressGuard}. Empty: none.
     */
    @NotNull @JsonProperty public String allowNetworks = "";

    /** Refuse plain-http webhook targets and callback URLs. */
    @JsonProperty public boolean httpsOnly = false;

    @ValidationMethod(message = "webhook.allowNetworks must be comma-separated networks such as 10.0.0.0/8 or fd00::/8")
    public boolean isAllowNetworksValid() {
        try {
            AddressGuard.parseList(allowNetworks == null ? "" : allowNetworks);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public AddressGuard guard() {
        return AddressGuard.of(allowNetworks, httpsOnly);
    }
}
