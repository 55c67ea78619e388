package io.herald.common.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.concurrent.TimeUnit;

/**
 * Retention: the leader deletes sent, purged and rejected messages, with their audit events and dedup
 * keys, once they are older than {@code maxAge}. Dead letters, and messages still in flight or
 * unknown, are never deleted by retention.
 */
public class RetentionConfig {
    /** Age since the message's last change past which it is deleted; {@code 0s} turns retention off. */
    @MinDuration(value = 0, unit = TimeUnit.SECONDS)
    @JsonProperty
    public Duration maxAge = Duration.days(30);

    /** How often the leader starts a retention pass. */
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    public Duration interval = Duration.minutes(10);

    /** Messages examined, and at most deleted, per batch; each batch is one short transaction. */
    @Min(1) @Max(10_000) @JsonProperty public int batchSize = 500;

    /** Rest between two batches of one pass, so that retention never hogs the database. */
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
    @JsonProperty
    public Duration pause = Duration.milliseconds(100);

    public boolean enabled() {
        return maxAge.toMilliseconds() > 0;
    }

    @ValidationMethod(message = "retention.maxAge must be 0s (off) or at least 1m")
    public boolean isMaxAgeOffOrSensible() {
        return maxAge == null || maxAge.toMilliseconds() == 0 || maxAge.toMilliseconds() >= 60_000;
    }
}
