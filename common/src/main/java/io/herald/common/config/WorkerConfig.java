package io.herald.common.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.concurrent.TimeUnit;

/** Tuning of a worker: concurrency, retries and the batching of database writes. */
public class WorkerConfig {
    /** Sends in flight at once on this worker, across all channels. */
    @Min(1) @Max(10_000) @JsonProperty public int maxInFlight = 512;

    /** Tasks this worker holds at once; it takes no more until one finishes. */
    @Min(1) @Max(1_000) @JsonProperty public int maxTasksInFlight = 8;

    /** Send attempts before a transiently failing message is failed for good. */
    @Min(1) @Max(100) @JsonProperty public int maxAttempts = 5;

    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration retryBackoffBase = Duration.seconds(1);

    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration retryBackoffMax = Duration.minutes(5);

    /** A send that has recorded no outcome by then is marked unknown (the worker presumably died). */
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    public Duration sendLease = Duration.minutes(2);

    /** Outcomes written in one transaction, at most. */
    @Min(1) @Max(10_000) @JsonProperty public int outcomeBatchSize = 1000;

    /** How long the first outcome of a batch may wait for company before it is written. */
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration outcomeFlushInterval = Duration.milliseconds(10);

    /** Status callbacks: delivery attempts before one is given up. */
    @Min(1) @Max(100) @JsonProperty public int callbackMaxAttempts = 8;

    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration callbackBackoffBase = Duration.seconds(1);

    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration callbackBackoffMax = Duration.minutes(10);

    /** How often an idle worker looks for due callbacks. */
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration callbackPollInterval = Duration.milliseconds(250);

    /** Callbacks one worker leases and sends at once (one callback lease each). */
    @Min(1) @Max(1_000) @JsonProperty public int callbackBatchSize = 50;

    /** The callback lease: a leased callback with no recorded outcome by then (its worker died) is sent again. */
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    public Duration callbackLease = Duration.minutes(1);

    @ValidationMethod(message = "worker.callbackBackoffMax must not be shorter than worker.callbackBackoffBase")
    public boolean isCallbackBackoffOrdered() {
        return ordered(callbackBackoffBase, callbackBackoffMax);
    }

    @ValidationMethod(message = "worker.retryBackoffMax must not be shorter than worker.retryBackoffBase")
    public boolean isBackoffOrdered() {
        return ordered(retryBackoffBase, retryBackoffMax);
    }

    /** Null values are reported by their own @NotNull-style checks, not here. */
    private static boolean ordered(Duration base, Duration max) {
        return base == null || max == null || max.toMilliseconds() >= base.toMilliseconds();
    }
}
