package io.herald.common.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.concurrent.TimeUnit;

/**
 * Defaults of the per-application delivery policy (docs/DELIVERY-POLICY.md). An application's row in
 * {@code application_policy} overrides any of them; a NULL column there means "this default".
 */
public class PolicyConfig {
    /** An application's share of each claim batch is proportional to its weight. */
    @Min(1) @Max(1_000) @JsonProperty public int defaultWeight = 1;

    /** Within an application's share, each priority's share is proportional to these weights. */
    @Valid @NotNull @JsonProperty public PriorityWeights priorityWeights = new PriorityWeights();

    /**
     * What the lease reaper does with a message whose worker recorded no outcome before its send lease
     * expired: {@code park} (unknown, for an operator) or {@code resend} (queued again with the same ids
     * while it has attempts left). Per application: {@code app-unknown-outcome}.
     */
    @NotNull @Pattern(regexp = "park|resend", message = "must be park or resend") @JsonProperty public String unknownOutcome = "park";

    /** Per-application limits over a sliding window, counted at dispatch. */
    @Valid @NotNull @JsonProperty public Quota quota = new Quota();

    /** Quota defaults. A limit of 0 means none. */
    public static class Quota {
        /** Past this many messages in the window, messages still go out, and the owner is warned. */
        @Min(0) @Max(100_000_000) @JsonProperty public int soft = 0;

        /** Past this many messages in the window, messages are rejected, not sent. */
        @Min(0) @Max(100_000_000) @JsonProperty public int hard = 0;

        @MinDuration(value = 1, unit = TimeUnit.SECONDS)
        @MaxDuration(value = 1, unit = TimeUnit.DAYS)
        @JsonProperty
        public Duration window = Duration.minutes(1);

        /** The owner gets at most one warning per application in this period. */
        @MinDuration(value = 1, unit = TimeUnit.SECONDS)
        @JsonProperty
        public Duration warnInterval = Duration.minutes(30);

        @ValidationMethod(message = "policy.quota.soft must not exceed policy.quota.hard when both are set")
        public boolean isSoftWithinHard() {
            return soft == 0 || hard == 0 || soft <= hard;
        }
    }

    /** Per-target rate limit: past a threshold, messages to one target are sent as one digest per window. */
    @Valid @NotNull @JsonProperty public Digest digest = new Digest();

    /** Digest defaults. */
    public static class Digest {
        @JsonProperty public boolean enabled = false;

        /** Messages to one target sent one by one within a window; the rest wait for the digest. */
        @Min(1) @Max(1_000_000) @JsonProperty public int threshold = 10;

        @MinDuration(value = 1, unit = TimeUnit.SECONDS)
        @MaxDuration(value = 1, unit = TimeUnit.DAYS)
        @JsonProperty
        public Duration window = Duration.minutes(5);
    }

    /** Relative shares of the four priorities. Every priority gets a share, so low never starves. */
    public static class PriorityWeights {
        @Min(1) @Max(1_000) @JsonProperty public int urgent = 8;
        @Min(1) @Max(1_000) @JsonProperty public int high = 4;
        @Min(1) @Max(1_000) @JsonProperty public int medium = 2;
        @Min(1) @Max(1_000) @JsonProperty public int low = 1;

        /** The weight of the priority of rank {@code rank} (0 urgent .. 3 low). */
        public int ofRank(int rank) {
            return switch (rank) {
                case 0 -> urgent;
                case 1 -> high;
                case 2 -> medium;
                case 3 -> low;
                default -> throw new IllegalArgumentException("no priority with rank " + rank);
            };
        }
    }
}
