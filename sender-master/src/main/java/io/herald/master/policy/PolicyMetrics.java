package io.herald.master.policy;

import com.codahale.metrics.MetricRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Meters of the delivery policy, counted only after the claim that decided them commits: messages
 * sent past a soft quota, rejected at a hard quota, owner warnings queued (each in total and per
 * application), messages held for digests, and digests created.
 */
public final class PolicyMetrics {
    private final MetricRegistry metrics;

    public PolicyMetrics(MetricRegistry metrics) {
        this.metrics = metrics;
        for (String name : List.of("herald.quota.over_soft", "herald.quota.rejected", "herald.quota.warnings",
                "herald.digest.held", "herald.digest.created")) {
            metrics.meter(name);
        }
    }

    /** What the policy did in one claim. */
    public record Counts(Map<String, Integer> overSoft, Map<String, Integer> rejected, List<String> warned, int held, int digests) {
        public static final Counts NONE = new Counts(Map.of(), Map.of(), List.of(), 0, 0);

        /** Both claims' counts, or two policies' counts of one claim. */
        public Counts plus(Counts other) {
            return new Counts(merged(overSoft, other.overSoft), merged(rejected, other.rejected),
                    Stream.concat(warned.stream(), other.warned.stream()).toList(), held + other.held, digests + other.digests);
        }

        private static Map<String, Integer> merged(Map<String, Integer> a, Map<String, Integer> b) {
            Map<String, Integer> sum = new HashMap<>(a);
            b.forEach((application, n) -> sum.merge(application, n, Integer::sum));
            return Map.copyOf(sum);
        }
    }

    public void count(Counts counts) {
        mark("herald.quota.over_soft", counts.overSoft());
        mark("herald.quota.rejected", counts.rejected());
        counts.warned().forEach(application -> mark("herald.quota.warnings", Map.of(application, 1)));
        metrics.meter("herald.digest.held").mark(counts.held());
        metrics.meter("herald.digest.created").mark(counts.digests());
    }

    private void mark(String name, Map<String, Integer> perApplication) {
        perApplication.forEach((application, n) -> {
            metrics.meter(name).mark(n);
            metrics.meter(name + "." + application).mark(n);
        });
    }
}
