package io.herald.common.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Defaults of the per-application delivery policy (docs/DELIVERY-POLICY.md). An application's row in
 * {@code application_policy} overrides any of them; a NULL column there means "this default".
 */
public class PolicyConfig {
    /** An application's share of each claim batch is proportional to its weight. */
    @Min(1) @Max(1_000) @JsonProperty public int defaultWeight = 1;

    /** Within an application's share, each priority's share is proportional to these weights. */
    @Valid @NotNull @JsonProperty public PriorityWeights priorityWeights = new PriorityWeights();

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
