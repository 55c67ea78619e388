package io.herald.common.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.concurrent.TimeUnit;

/** One SMTP relay of {@code smtp.relays}: where it is, how to log in, and how much it may be given. */
public class SmtpRelayConfig {
    /** Names the relay in metrics, health checks and log lines. */
    @NotNull @Pattern(regexp = "[A-Za-z0-9._-]{1,64}", message = "must be 1 to 64 letters, digits, dots, dashes or underscores")
    @JsonProperty
    public String name;

    @NotEmpty @JsonProperty public String host;

    @Min(1) @Max(65535) @JsonProperty public int port = 25;

    /** Require STARTTLS before sending. */
    @JsonProperty public boolean startTls = false;

    /** Empty means no authentication. */
    @NotNull @JsonProperty public String username = "";

    @NotNull @JsonProperty public String password = "";

    /** Connections kept open to this relay; each carries one message at a time. */
    @Min(1) @Max(256) @JsonProperty public int connections = 8;

    /** Relays with the lowest priority are tried first; the next priority only when none of those can take the message. */
    @Min(0) @Max(1000) @JsonProperty public int priority = 0;

    /** Among relays of one priority, each takes messages in proportion to its weight. */
    @Min(1) @Max(1000) @JsonProperty public int weight = 1;

    /** Messages per second through this relay, by all the workers together; 0: no pace. */
    @DecimalMin("0") @DecimalMax("100000") @JsonProperty public double ratePerSecond = 0;

    /** How long a relay that refused a connection is left out before a message tries it again. */
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.HOURS)
    @NotNull
    @JsonProperty
    public Duration downFor = Duration.seconds(30);

    @ValidationMethod(message = "a relay's password is set but its username is empty")
    public boolean isAuthComplete() {
        return password == null || password.isEmpty() || (username != null && !username.isEmpty());
    }

    public boolean authenticates() {
        return username != null && !username.isEmpty();
    }
}
