package io.herald.tools.bench;

import java.util.Arrays;

/** Keeps every latency sample (microseconds) and answers percentiles; a few MB for a million samples. */
public final class LatencyRecorder {
    private long[] samples = new long[1 << 16];
    private int size;

    /** Forgets every sample, after a warm-up. */
    public synchronized void reset() {
        size = 0;
    }

    public synchronized void record(long micros) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = micros;
    }

    public record Summary(long count, double p50Millis, double p95Millis, double p99Millis, double maxMillis) {}

    public synchronized Summary summary() {
        if (size == 0) {
            return new Summary(0, 0, 0, 0, 0);
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        return new Summary(size, at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99), sorted[size - 1] / 1000.0);
    }

    private static double at(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000.0;
    }
}
