package io.herald.common.testing;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.function.Predicate;

/** Reads one metric's value out of a node's Prometheus registry, summed over the points whose labels match. */
public final class PrometheusSamples {
    private PrometheusSamples() {}

    /** Sum of a counter's or gauge's points (name without {@code _total}), or of a histogram's counts. */
    public static double sum(PrometheusRegistry registry, String name, Predicate<Labels> labels) {
        double total = 0;
        for (MetricSnapshot snapshot : registry.scrape(name::equals)) {
            for (var point : snapshot.getDataPoints()) {
                if (labels.test(point.getLabels())) {
                    total += value(snapshot, point);
                }
            }
        }
        return total;
    }

    /** {@link #sum} over the points whose label {@code label} is {@code value}. */
    public static double sum(PrometheusRegistry registry, String name, String label, String value) {
        return sum(registry, name, l -> value.equals(l.get(label)));
    }

    private static double value(MetricSnapshot snapshot, Object point) {
        if (snapshot instanceof CounterSnapshot) {
            return ((CounterSnapshot.CounterDataPointSnapshot) point).getValue();
        }
        if (snapshot instanceof GaugeSnapshot) {
            return ((GaugeSnapshot.GaugeDataPointSnapshot) point).getValue();
        }
        if (snapshot instanceof HistogramSnapshot) {
            return ((HistogramSnapshot.HistogramDataPointSnapshot) point).getCount();
        }
        throw new IllegalArgumentException("not a counter, gauge or histogram: " + snapshot.getMetadata().getName());
    }
}
