package io.herald.master.policy;

import io.herald.common.metrics.ApplicationLabels;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Counters of the delivery policy, counted only after the claim that decided them commits, labelled by
 * application (capped, see {@link ApplicationLabels}): {@code herald_quota_over_soft_total},
 * {@code herald_quota_rejected_total}, {@code herald_quota_warnings_total}; and, for all applications,
 * {@code herald_digest_held_total} and {@code herald_digests_total}.
 */
public final class PolicyMetrics {
    private final ApplicationLabels applications;
    private final Counter overSoft;
    private final Counter rejected;
    private final Counter warnings;
    private final CounterDataPoint held;
    private final CounterDataPoint digests;

    public PolicyMetrics(PrometheusRegistry registry, ApplicationLabels applications) {
        this.applications = applications;
        this.overSoft = perApplication(registry, "herald_quota_over_soft", "Messages sent past their application's soft quota");
        this.rejected = perApplication(registry, "herald_quota_rejected", "Messages rejected at their application's hard quota");
        this.warnings = perApplication(registry, "herald_quota_warnings", "Soft-quota warnings queued to an application's owner");
        this.held = Counter.builder().name("herald_digest_held").help("Messages held for a digest").register(registry).labelValues();
        this.digests = Counter.builder().name("herald_digests").help("Digests created").register(registry).labelValues();
    }

    private static Counter perApplication(PrometheusRegistry registry, String name, String help) {
        return Counter.builder().name(name).help(help).labelNames("application").register(registry);
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
        counts.overSoft().forEach((application, n) -> overSoft.labelValues(applications.of(application)).inc(n));
        counts.rejected().forEach((application, n) -> rejected.labelValues(applications.of(application)).inc(n));
        counts.warned().forEach(application -> warnings.labelValues(applications.of(application)).inc());
        held.inc(counts.held());
        digests.inc(counts.digests());
    }
}
