package io.herald.common.channel.builtin;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/** What the paced channels' settings share. */
public abstract class PacedSettings {
    /**
     * How long a message may wait for its destination's next slot, holding a send permit; past that it is put
     * back without spending an attempt.
     */
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
    @NotNull
    @JsonProperty
    public Duration maxPaceWait = Duration.seconds(2);

    java.time.Duration maxPaceWait() {
        return java.time.Duration.ofMillis(maxPaceWait.toMilliseconds());
    }
}
