package io.herald.common.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import io.herald.common.net.AddressGuard;
import io.herald.common.webhook.RetrySchedule;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP client webhooks and status callbacks are sent with, its lanes (one per destination:
 * scheme, host and port) and the webhook retry schedule. See docs/ARCHITECTURE.md, "The send path".
 */
public class WebhookConfig {
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration connectTimeout = Duration.seconds(5);

    /**
     * One deadline per attempt, covering the connection, the request, the answer's headers and its body.
     * An attempt without a whole answer by then is a timeout: transient, and ambiguous once written.
     */
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration requestTimeout = Duration.seconds(10);

    /**
     * Comma-separated networks (CIDR) that webhooks and callbacks may reach although they are inside the
     * network (loopback, private, link-local ...); see {@link AddressGuard}. Empty: none.
     */
    @NotNull @JsonProperty public String allowNetworks = "";

    /** Refuse plain-http webhook targets and callback URLs. */
    @JsonProperty public boolean httpsOnly = false;

    @ValidationMethod(message = "webhook.allowNetworks must be comma-separated networks such as 10.0.0.0/8 or fd00::/8")
    public boolean isAllowNetworksValid() {
        try {
            AddressGuard.parseList(allowNetworks == null ? "" : allowNetworks);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A keep-alive connection idle this long is closed by Herald. */
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration idleTimeout = Duration.seconds(20);

    /** Connections open at once to one destination, at most. */
    @Min(1) @Max(1_000) @JsonProperty public int maxConnectionsPerDestination = 32;

    /**
     * Messages a destination's lane may hold waiting behind its limit, at most: it holds what the
     * destination answers within maxQueueWait at its pace. The rest are put back, no attempt spent.
     */
    @Min(1) @Max(100_000) @JsonProperty public int maxQueuedPerDestination = 1024;

    /** How long a message should wait in its destination's lane, at the destination's pace; also how long one put back waits. */
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 10, unit = TimeUnit.MINUTES)
    @JsonProperty
    public Duration maxQueueWait = Duration.seconds(1);

    /** A lane's concurrency limit when it starts; it then adapts between 1 and maxConnectionsPerDestination. */
    @Min(1) @Max(1_000) @JsonProperty public int initialLimitPerDestination = 8;

    /** An answer slower than this shrinks the destination's limit, as a failure does. */
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration slowAnswer = Duration.seconds(2);

    /** Consecutive failures (timeouts, connection failures, 5xx, 429) that pause a destination. */
    @Min(1) @Max(10_000) @JsonProperty public int pauseAfterFailures = 10;

    /** How long a paused destination waits before one probe checks whether it is back. */
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.DAYS)
    @JsonProperty
    public Duration pauseDuration = Duration.seconds(30);

    /** Immediate retries of a request that failed before it had a connection (refused, TLS handshake). */
    @Min(0) @Max(10) @JsonProperty public int unsentRetries = 2;

    /** Bytes of an answer's body read (and discarded) at most; the first KiB is kept for the error text. */
    @Min(1_024) @Max(16 * 1024 * 1024) @JsonProperty public int maxResponseBytes = 64 * 1024;

    /** The wait after each failed webhook attempt; one attempt more than steps. Per application: app-retry-schedule. */
    @NotNull @JsonProperty public String retrySchedule = RetrySchedule.DEFAULT;

    /** Each wait is spread by this fraction either way, so retries do not arrive together. */
    @DecimalMin("0.0") @DecimalMax("0.5") @JsonProperty public double retryJitter = 0.2;

    /** After app-rotate-secret, how long the replaced secret still signs beside the new one. */
    @MinDuration(value = 0, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 30, unit = TimeUnit.DAYS)
    @JsonProperty
    public Duration secretRotationGrace = Duration.hours(24);

    @ValidationMethod(message = "webhook.retrySchedule must be comma-separated durations such as '5s, 5m, 30m', each at most 7d")
    public boolean isRetryScheduleValid() {
        try {
            RetrySchedule.parse(retrySchedule);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public AddressGuard guard() {
        return AddressGuard.of(allowNetworks, httpsOnly);
    }

    @ValidationMethod(message = "webhook.initialLimitPerDestination must not exceed webhook.maxConnectionsPerDestination")
    public boolean isInitialLimitWithinConnections() {
        return initialLimitPerDestination <= maxConnectionsPerDestination;
    }

    /** The parsed schedule; valid once the configuration has been validated. */
    public RetrySchedule schedule() {
        return RetrySchedule.parse(retrySchedule);
    }
}
