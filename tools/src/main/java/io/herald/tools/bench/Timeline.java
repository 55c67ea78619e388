package io.herald.tools.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Throughput over time: cumulative delivery counts taken at moments of a run, turned into the rate of
 * each interval between two readings.
 */
final class Timeline {
    /** The rate over the interval that ends {@code seconds} after the start. */
    record Point(double seconds, double perSecond) {}

    private final List<long[]> readings = new ArrayList<>();

    /** Records that {@code delivered} messages had arrived {@code nanosSinceStart} into the run. */
    synchronized void record(long nanosSinceStart, long delivered) {
        readings.add(new long[] {nanosSinceStart, delivered});
    }

    synchronized List<Point> points() {
        List<Point> points = new ArrayList<>();
        for (int i = 1; i < readings.size(); i++) {
            long[] a = readings.get(i - 1);
            long[] b = readings.get(i);
            long nanos = b[0] - a[0];
            if (nanos > 0) {
                points.add(new Point(Math.round(b[0] / 1e7) / 100.0, Math.round((b[1] - a[1]) * 1e9 / nanos)));
            }
        }
        return points;
    }
}
