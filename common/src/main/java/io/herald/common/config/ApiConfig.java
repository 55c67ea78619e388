package io.herald.common.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MinDataSize;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Bounds on what one application may ask of one master's API. */
public class ApiConfig {
    /** A request body past this, counted after decompression while it is read, is refused with 413. */
    @MinDataSize(value = 64, unit = io.dropwizard.util.DataSizeUnit.KIBIBYTES)
    @MaxDataSize(value = 1, unit = io.dropwizard.util.DataSizeUnit.GIBIBYTES)
    @JsonProperty
    public DataSize maxRequestBytes = DataSize.mebibytes(16);

    /**
     * Requests per second each application may make to one master (a token bucket refilled at this rate);
     * 0 means no limit. The admin task {@code app-rate-limit} sets it per application.
     */
    @Min(0) @Max(1_000_000) @JsonProperty public int requestsPerSecond = 200;

    /** Requests an application may make at once above its rate (the bucket's size). */
    @Min(1) @Max(1_000_000) @JsonProperty public int burst = 400;

    /** Status requests ({@code ?wait=}) one application may have waiting on one master at once. */
    @Min(1) @Max(1_000_000) @JsonProperty public int maxStatusWaitersPerApplication = 1_000;

    /**
     * The most messages {@code GET /v1/messages/{id}} counts ahead of a queued one; past it, the answer
     * says {@code positionAtLeast: true}. Bounds what one status request reads of the claim's index.
     */
    @Min(1) @Max(1_000_000) @JsonProperty public int queuePositionCap = 10_000;
}
