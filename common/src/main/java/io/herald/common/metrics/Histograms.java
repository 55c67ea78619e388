package io.herald.common.metrics;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Herald's histograms: classic buckets fixed here, the same on every node, so that buckets add up
 * across nodes in {@code histogram_quantile(sum by (le) (rate(..._bucket[5m])))}. No native buckets and
 * no exemplars: an observation is a bucket search and a few atomic adds, with no allocation.
 */
public final class Histograms {
    /** Work that takes milliseconds to seconds: one send, one claim transaction. */
    public static final double[] SHORT_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    /** Waits that take up to hours: a message from its enqueue to its delivery, dispatch lag behind the due time. */
    public static final double[] LONG_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400};

    private Histograms() {}

    /** Registers a histogram named {@code name} (ending in {@code _seconds}) in {@code registry}. */
    public static Histogram seconds(PrometheusRegistry registry, String name, String help, double[] buckets, String... labelNames) {
        if (!name.endsWith("_seconds")) {
            throw new IllegalArgumentException(name + ": a duration in seconds must say so in its name");
        }
        Histogram.Builder builder = Histogram.builder().name(name).help(help).classicOnly().classicUpperBounds(buckets);
        builder.withoutExemplars();
        return builder.labelNames(labelNames).register(registry);
    }
}
