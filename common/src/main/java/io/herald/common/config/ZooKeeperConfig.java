package io.herald.common.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import java.util.concurrent.TimeUnit;

/** The ZooKeeper ensemble. The server clamps the session timeout to 2x..20x its tickTime. */
public class ZooKeeperConfig {
    @NotEmpty @JsonProperty public String connect = "127.0.0.1:2181";

    @NotEmpty
    @Pattern(regexp = "[a-zA-Z0-9_.-]+", message = "must be a single path element such as herald")
    @JsonProperty
    public String namespace = "herald";

    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    public Duration sessionTimeout = Duration.seconds(10);

    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration connectionTimeout = Duration.seconds(5);
}
