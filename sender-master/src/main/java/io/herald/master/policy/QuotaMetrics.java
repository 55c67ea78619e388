package io.herald.master.policy;

import com.codahale.metrics.MetricRegistry;
import java.util.List;
import java.util.Map;

/**
 * Quota meters, in total and per application: messages sent past the soft limit, messages rejected
 * at the hard limit, and owner warnings queued. Counted only after the claim that decided them commits.
 */
public final class QuotaMetrics {
    private final MetricRegistry metrics;

    public QuotaMetrics(MetricRegistry metrics) {
        this.metrics = metrics;
        metrics.meter("herald.quota.over_soft");
        metrics.meter("herald.quota.rejected");
        metrics.meter("herald.quota.warnings");
    }

    public void count(Map<String, Integer> overSoft, Map<String, Integer> rejected, List<String> warned) {
        mark("herald.quota.over_soft", overSoft);
        mark("herald.quota.rejected", rejected);
        warned.forEach(application -> mark("herald.quota.warnings", Map.of(application, 1)));
    }

    private void mark(String name, Map<String, Integer> perApplication) {
        perApplication.forEach((application, n) -> {
            metrics.meter(name).mark(n);
            metrics.meter(name + "." + application).mark(n);
        });
    }
}
