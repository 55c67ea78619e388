package io.herald.common.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.concurrent.TimeUnit;

/** The Prometheus metrics' bounds: how many applications get a label of their own, how often the backlog is read. */
public class PrometheusConfig {
    /**
     * Applications that get their own {@code application} label value; every further one is counted
     * as {@code other}. Each label value is a time series in every scraper, so tenants must not be
     * able to grow them without bound.
     */
    @Min(1) @Max(10_000) @JsonProperty public int maxApplicationLabels = 50;

    /** How often the leader reads the queue's backlog for {@code herald_queue_messages}. */
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    public Duration queueInterval = Duration.seconds(15);

    /**
     * The most queued messages one (application, priority) group is counted up to, so that one read stays
     * bounded: each count walks that many index entries every {@code queueInterval}, on the database the
     * claims use. At 1,000,000 a deep backlog cost the drain 4 to 13 rows read per message sent; the oldest
     * message's age, not the depth, is what says a group is falling behind.
     */
    @Min(1) @Max(1_000_000) @JsonProperty public int queueCountCap = 10_000;
}
