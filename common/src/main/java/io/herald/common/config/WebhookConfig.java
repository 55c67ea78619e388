package io.herald.common.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
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
}
