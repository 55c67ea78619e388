package io.herald.worker.http;

import com.codahale.metrics.MetricRegistry;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lanes, one per destination (scheme, host, port). Lanes idle for ten minutes are dropped, so a
 * worker that has sent to millions of hosts keeps only the recent ones. Metrics: lanes paused, requests
 * waiting, and the limit and load of the busiest few lanes by rank (bounded cardinality).
 */
public final class Lanes {
    static final int BUSIEST_REPORTED = 5;
    private static final long IDLE_NANOS = TimeUnit.MINUTES.toNanos(10);
    private static final long SWEEP_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final ConcurrentMap<String, Lane> lanes = new ConcurrentHashMap<>();
    private final Lane.Settings settings;
    private final AtomicLong lastSweep = new AtomicLong(System.nanoTime());

    Lanes(Lane.Settings settings, MetricRegistry metrics) {
        this.settings = settings;
        metrics.gauge("herald.webhook.destinations_paused", () -> () -> count(s -> s.health() != Lane.Health.FLOWING));
        metrics.gauge("herald.webhook.requests_queued", () -> () -> snapshots().stream().mapToInt(Lane.Snapshot::waiting).sum());
        for (int rank = 1; rank <= BUSIEST_REPORTED; rank++) {
            int r = rank;
            metrics.gauge("herald.webhook.busiest_destination." + rank + ".limit", () -> () -> busiest(r, Lane.Snapshot::limit));
            metrics.gauge("herald.webhook.busiest_destination." + rank + ".in_flight", () -> () -> busiest(r, Lane.Snapshot::inFlight));
        }
    }

    /** The lane of the URI's destination, made on first use. */
    Lane lane(URI uri) {
        long now = System.nanoTime();
        sweepIfDue(now);
        return lanes.computeIfAbsent(destination(uri), d -> new Lane(d, settings, now));
    }

    static String destination(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    private void sweepIfDue(long now) {
        long last = lastSweep.get();
        if (now - last > SWEEP_EVERY_NANOS && lastSweep.compareAndSet(last, now)) {
            lanes.values().removeIf(lane -> lane.idleSince(now - IDLE_NANOS));
        }
    }

    /** Every lane's state now. */
    public List<Lane.Snapshot> snapshots() {
        return lanes.values().stream().map(Lane::snapshot).toList();
    }

    /** One lane's state now; null if the destination has no lane. */
    public Lane.Snapshot snapshot(String url) {
        Lane lane = lanes.get(destination(URI.create(url)));
        return lane == null ? null : lane.snapshot();
    }

    private int count(java.util.function.Predicate<Lane.Snapshot> which) {
        return (int) snapshots().stream().filter(which).count();
    }

    private int busiest(int rank, java.util.function.ToIntFunction<Lane.Snapshot> value) {
        List<Lane.Snapshot> top = snapshots().stream()
                .sorted(Comparator.comparingInt(Lane.Snapshot::load).reversed()).limit(rank).toList();
        return top.size() < rank ? 0 : value.applyAsInt(top.get(rank - 1));
    }
}
