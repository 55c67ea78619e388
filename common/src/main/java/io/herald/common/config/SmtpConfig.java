package io.herald.common.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The SMTP relays the email channel sends through: {@link #relays}, or when that is empty the one relay
 * that {@code host}, {@code port}, {@code startTls}, {@code username}, {@code password} and
 * {@code connections} describe. {@code from}, {@code timeout}, {@code maxPaceWait} and
 * {@code allowDomainLiterals} apply to every relay.
 */
public class SmtpConfig {
    /** The name the single relay of {@code smtp.host} goes by in metrics and health checks. */
    public static final String SINGLE_RELAY = "smtp";

    @NotEmpty @JsonProperty public String host = "127.0.0.1";

    @Min(1) @Max(65535) @JsonProperty public int port = 25;

    /** Require STARTTLS before sending. */
    @JsonProperty public boolean startTls = false;

    /** Empty means no authentication. */
    @NotNull @JsonProperty public String username = "";

    @NotNull @JsonProperty public String password = "";

    @NotEmpty @JsonProperty public String from = "herald@localhost";

    /** SMTP connections kept open; each carries one message at a time. */
    @Min(1) @Max(256) @JsonProperty public int connections = 8;

    /** Accept recipients such as {@code someone@[192.0.2.1]}, which name an address instead of a domain. */
    @JsonProperty public boolean allowDomainLiterals = false;

    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration timeout = Duration.seconds(10);

    /** Several relays, tried by priority and weight, each marked down for a while when it refuses a connection. */
    @Valid @NotNull @JsonProperty public List<SmtpRelayConfig> relays = List.of();

    /** How long a message may wait for a paced relay's next slot, holding a send permit, before the next relay is tried. */
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
    @NotNull
    @JsonProperty
    public Duration maxPaceWait = Duration.seconds(2);

    @ValidationMethod(message = "smtp.relays: each relay needs a name of its own")
    public boolean isRelayNamesUnique() {
        Set<String> names = new HashSet<>();
        return relays.stream().allMatch(r -> r == null || r.name == null || names.add(r.name));
    }

    /** The relays to send through: {@link #relays}, or the single relay of {@code host}. */
    public List<SmtpRelayConfig> effectiveRelays() {
        if (!relays.isEmpty()) {
            return relays;
        }
        SmtpRelayConfig single = new SmtpRelayConfig();
        single.name = SINGLE_RELAY;
        single.host = host;
        single.port = port;
        single.startTls = startTls;
        single.username = username;
        single.password = password;
        single.connections = connections;
        return List.of(single);
    }

    @ValidationMethod(message = "smtp.password is set but smtp.username is empty")
    public boolean isAuthComplete() {
        return password == null || password.isEmpty() || (username != null && !username.isEmpty());
    }
}
