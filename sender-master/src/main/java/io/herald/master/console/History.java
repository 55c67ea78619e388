package io.herald.master.console;

import io.herald.master.db.ConsoleSampleStore.Stored;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns stored samples into what the console draws. Workers' counters are totals since each worker
 * started, so a point is the growth since that worker's previous sample; a total that went down means
 * the worker restarted, and then the point is the new total (what it counted since the restart).
 */
final class History {
    /** One sample time (ISO-8601, the database clock), cluster-wide: sent, failed and retried during the interval that ended then. */
    record TrafficPoint(String at, Long sent, Long failed, Long retried, Double latencyP50, Double latencyP95, Double latencyMax,
                        Long latencyOpen, Long backlog, Long dead, Long unknown) {}

    /** One sample time of one worker: counts during the interval that ended then, and what it held then. */
    record WorkerPoint(String at, Long sent, Long failed, Long retried, long inFlight, long tasksHeld) {}

    private final TreeMap<Instant, Map<String, Map<String, Double>>> bySample = new TreeMap<>();

    History(List<Stored> rows) {
        for (Stored row : rows) {
            bySample.computeIfAbsent(row.at(), at -> new HashMap<>())
                    .computeIfAbsent(row.series(), series -> new LinkedHashMap<>()).put(row.label(), row.value());
        }
    }

    List<TrafficPoint> traffic() {
        List<TrafficPoint> points = new ArrayList<>();
        Map<String, Map<String, Double>> previous = null;
        for (Map.Entry<Instant, Map<String, Map<String, Double>>> sample : bySample.entrySet()) {
            Map<String, Map<String, Double>> now = sample.getValue();
            points.add(new TrafficPoint(sample.getKey().toString(),
                    sumOfGrowth(previous, now, Series.WORKER_SENT), sumOfGrowth(previous, now, Series.WORKER_FAILED),
                    sumOfGrowth(previous, now, Series.WORKER_RETRIED), plain(now, Series.LATENCY_P50), plain(now, Series.LATENCY_P95),
                    plain(now, Series.LATENCY_MAX), whole(plain(now, Series.LATENCY_OPEN)), whole(total(now, Series.BACKLOG)),
                    whole(plain(now, Series.DEAD)), whole(plain(now, Series.UNKNOWN))));
            previous = now;
        }
        return points;
    }

    /** Each worker's points, by worker id, oldest first; a worker appears from its first sample on. */
    Map<String, List<WorkerPoint>> workers() {
        Map<String, List<WorkerPoint>> byWorker = new LinkedHashMap<>();
        Map<String, Map<String, Double>> previous = null;
        for (Map.Entry<Instant, Map<String, Map<String, Double>>> sample : bySample.entrySet()) {
            Map<String, Map<String, Double>> now = sample.getValue();
            for (String worker : now.getOrDefault(Series.WORKER_SENT, Map.of()).keySet()) {
                byWorker.computeIfAbsent(worker, w -> new ArrayList<>()).add(new WorkerPoint(sample.getKey().toString(),
                        growth(previous, now, Series.WORKER_SENT, worker), growth(previous, now, Series.WORKER_FAILED, worker),
                        growth(previous, now, Series.WORKER_RETRIED, worker), value(now, Series.WORKER_IN_FLIGHT, worker),
                        value(now, Series.WORKER_TASKS_HELD, worker)));
            }
            previous = now;
        }
        return byWorker;
    }

    /** The backlog groups of the newest sample: {@code <priority>:<application>} to queued messages. */
    Map<String, Double> latestBacklog() {
        return bySample.isEmpty() ? Map.of() : bySample.lastEntry().getValue().getOrDefault(Series.BACKLOG, Map.of());
    }

    private static Long sumOfGrowth(Map<String, Map<String, Double>> previous, Map<String, Map<String, Double>> now, String series) {
        Long sum = null;
        for (String label : now.getOrDefault(series, Map.of()).keySet()) {
            Long growth = growth(previous, now, series, label);
            if (growth != null) {
                sum = (sum == null ? 0 : sum) + growth;
            }
        }
        return sum;
    }

    /** Null when the previous sample did not have this worker: its growth over the interval is not known. */
    private static Long growth(Map<String, Map<String, Double>> previous, Map<String, Map<String, Double>> now, String series, String label) {
        Double before = previous == null ? null : previous.getOrDefault(series, Map.of()).get(label);
        Double after = now.getOrDefault(series, Map.of()).get(label);
        if (before == null || after == null) {
            return null;
        }
        return (long) (after >= before ? after - before : after);
    }

    private static long value(Map<String, Map<String, Double>> sample, String series, String label) {
        return sample.getOrDefault(series, Map.of()).getOrDefault(label, 0.0).longValue();
    }

    private static Double plain(Map<String, Map<String, Double>> sample, String series) {
        return sample.getOrDefault(series, Map.of()).get("");
    }

    private static Double total(Map<String, Map<String, Double>> sample, String series) {
        return sample.getOrDefault(series, Map.of()).values().stream().reduce(0.0, Double::sum);
    }

    private static Long whole(Double value) {
        return value == null ? null : value.longValue();
    }
}
