package io.herald.common.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.concurrent.TimeUnit;

/** Tuning of the elected dispatcher. Only the leader uses it; standby masters only serve the API. */
public class MasterConfig {
    /** Messages claimed by one fenced UPDATE. */
    @Min(1) @Max(10_000) @JsonProperty public int claimBatchSize = 1000;

    /** Messages a fan-out creates per fenced transaction (one chunk of a topic's subscribers). */
    @Min(1) @Max(5_000) @JsonProperty public int fanoutChunkSize = 1000;

    /** Message ids per task znode; a task is the unit a worker takes. */
    @Min(1) @Max(5_000) @JsonProperty public int taskSize = 250;

    /** The leader stops claiming while this many tasks wait in ZooKeeper (back-pressure). */
    @Min(1) @Max(10_000) @JsonProperty public int maxQueuedTasks = 32;

    /** How often an idle leader looks for due messages. A full batch is followed at once. */
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration pollInterval = Duration.milliseconds(50);

    /** A dispatched message that no worker has started by then is queued again. */
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    public Duration dispatchLease = Duration.seconds(30);

    /** How often the leader expires leases (dispatched back to queued, sending to unknown). */
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration reapInterval = Duration.seconds(1);

    /**
     * How often the leader writes each application's dispatch rate over the last minute (table
     * {@code dispatch_rate}), from which any master estimates when a queued message will be dispatched.
     */
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
    @JsonProperty
    public Duration dispatchRateInterval = Duration.seconds(5);

    /** A leader that cannot reach the database for this long gives up leadership. */
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration databaseFailureStepDown = Duration.seconds(10);

    /**
     * How long a master trusts an API key it has checked before it asks the database again. A revoked
     * key stops working on the master that ran {@code app-revoke} at once, and on the others within this.
     */
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 5, unit = TimeUnit.MINUTES)
    @JsonProperty
    public Duration apiKeyCacheTtl = Duration.seconds(10);

    /** How often each master reads the dead-letter count and oldest age for its gauges. */
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    public Duration deadLetterMetricsInterval = Duration.seconds(15);

    /** How often the leader samples the cluster for the operator console's last hour (docs/CONSOLE.md). */
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 10, unit = TimeUnit.MINUTES)
    @JsonProperty
    public Duration consoleSampleInterval = Duration.seconds(60);

    /**
     * The leader's fenced transactions hold a shared lock on the fence row. If the leader freezes inside
     * one (a long GC pause, SIGSTOP), MySQL closes its session after this much silence, which releases the
     * lock so that the next leader can raise the fence. Whole seconds, shorter than the ZooKeeper session
     * timeout, so that the lock is gone by the time a successor is elected.
     */
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    public Duration stalledTransactionTimeout = Duration.seconds(5);

    @ValidationMethod(message = "master.stalledTransactionTimeout must be whole seconds")
    public boolean isStalledTransactionTimeoutWholeSeconds() {
        return stalledTransactionTimeout.toMilliseconds() % 1000 == 0;
    }

    /** How often a master reads the status of the messages that {@code GET ...?wait=} requests wait for. */
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 5, unit = TimeUnit.SECONDS)
    @JsonProperty
    public Duration statusWaitPollInterval = Duration.milliseconds(150);

    /** Status requests that may wait on one master at once; past this, a 503 asks the caller to retry. */
    @Min(1) @Max(1_000_000) @JsonProperty public int maxStatusWaiters = 10_000;

    @ValidationMethod(message = "master.taskSize must not exceed master.claimBatchSize")
    public boolean isTaskSizeWithinBatch() {
        return taskSize <= claimBatchSize;
    }
}
