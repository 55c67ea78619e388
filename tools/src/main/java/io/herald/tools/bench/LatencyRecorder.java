package io.herald.tools.bench;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Latency samples (microseconds) in an HdrHistogram: three significant digits up to an hour, a fixed
 * few hundred KB whatever the count. Callers record a latency measured from the time a message was
 * <em>meant</em> to be sent (see {@link SendSchedule}), so a client that falls behind does not hide
 * the wait it caused (coordinated omission).
 */
public final class LatencyRecorder {
    private static final long HIGHEST_MICROS = 3_600_000_000L;

    private final Histogram histogram = new Histogram(HIGHEST_MICROS, 3);

    /** Forgets every sample, after a warm-up. */
    public synchronized void reset() {
        histogram.reset();
    }

    /** Records one latency; a negative one (clock step) counts as 0, one past an hour as an hour. */
    public synchronized void record(long micros) {
        histogram.recordValue(Math.max(0, Math.min(HIGHEST_MICROS, micros)));
    }

    public record Summary(long count, double p50Millis, double p95Millis, double p99Millis, double p999Millis, double maxMillis) {}

    /** One point of the latency distribution: the share of samples at or below {@code millis}. */
    public record Point(double percentile, double millis) {}

    public synchronized Summary summary() {
        if (histogram.getTotalCount() == 0) {
            return new Summary(0, 0, 0, 0, 0, 0);
        }
        return new Summary(histogram.getTotalCount(), at(50), at(95), at(99), at(99.9), histogram.getMaxValue() / 1000.0);
    }

    /** The distribution by percentile, as HdrHistogram's percentile iteration gives it (denser towards the tail). */
    public synchronized List<Point> distribution() {
        List<Point> points = new ArrayList<>();
        if (histogram.getTotalCount() == 0) {
            return points;
        }
        for (HistogramIterationValue v : histogram.percentiles(5)) {
            points.add(new Point(v.getPercentileLevelIteratedTo(), v.getValueIteratedTo() / 1000.0));
        }
        return points;
    }

    private double at(double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }
}
