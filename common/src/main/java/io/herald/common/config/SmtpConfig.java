package io.herald.common.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/** The SMTP relay the email channel sends through. */
public class SmtpConfig {
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

    @ValidationMethod(message = "smtp.password is set but smtp.username is empty")
    public boolean isAuthComplete() {
        return password == null || password.isEmpty() || (username != null && !username.isEmpty());
    }

    public boolean authenticates() {
        return username != null && !username.isEmpty();
    }
}
