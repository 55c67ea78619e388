package io.herald.common.channel.builtin;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** {@code channels.slack:} in config.yml. */
public class SlackSettings extends PacedSettings {
    /** Hosts a target URL may name (exactly, any case). Slack's incoming webhooks live on hooks.slack.com. */
    @NotEmpty @JsonProperty public List<@NotNull String> allowedHosts = List.of("hooks.slack.com");

    /** Messages per second to one webhook URL, by all the workers together (Slack allows about 1). */
    @DecimalMin("0.001") @DecimalMax("1000") @JsonProperty public double ratePerSecond = 1.0;

    /** Allow http:// targets: for local fakes and tests only; Slack itself is https. */
    @JsonProperty public boolean allowPlainHttp = false;
}
