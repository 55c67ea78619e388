package io.herald.master.console;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import io.herald.common.zk.NodeInfo;
import io.herald.master.db.ConsoleSampleStore;
import io.herald.master.resources.ClusterResource;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /console/api/cluster}: the leader and its fence, every master and worker with its health
 * (asked of each node now), each worker's counters now and over the last hour (from the samples), and
 * this master's own ZooKeeper and database checks.
 */
@Path("/cluster")
@Produces(MediaType.APPLICATION_JSON)
public final class ConsoleClusterResource {
    public record Fence(long token, String holder, boolean paused, String acquiredAt) {}

    public record Master(String id, String api, String admin, boolean leader, NodeProbe.Health health) {}

    public record Totals(long sent, long failed, long retried) {}

    public record Worker(String id, String api, String admin, NodeProbe.Health health, WorkerCounters now, Totals lastHour,
                         List<History.WorkerPoint> history) {}

    public record View(String node, String leader, Fence fence, long sampleIntervalSeconds, List<Master> masters,
                       List<Worker> workers, Map<String, NodeProbe.Check> local) {}

    private static final Duration HOUR = Duration.ofHours(1);

    private final String nodeId;
    private final ClusterResource cluster;
    private final ConsoleSampleStore samples;
    private final NodeProbe probe;
    private final HealthCheckRegistry health;
    private final Duration sampleInterval;

    public ConsoleClusterResource(String nodeId, ClusterResource cluster, ConsoleSampleStore samples, NodeProbe probe,
                                  HealthCheckRegistry health, Duration sampleInterval) {
        this.nodeId = nodeId;
        this.cluster = cluster;
        this.samples = samples;
        this.probe = probe;
        this.health = health;
        this.sampleInterval = sampleInterval;
    }

    @GET
    public View get() throws Exception {
        ClusterResource.FullView full = cluster.full();
        Map<String, List<History.WorkerPoint>> history = new History(samples.since(HOUR)).workers();
        Map<NodeInfo, CompletableFuture<NodeProbe.Health>> healths = new LinkedHashMap<>();
        Map<NodeInfo, CompletableFuture<WorkerCounters>> counters = new LinkedHashMap<>();
        full.masters().forEach(m -> healths.put(m, probe.health(m)));
        full.workers().forEach(w -> {
            healths.put(w, probe.health(w));
            counters.put(w, probe.counters(w));
        });
        List<Master> masters = full.masters().stream()
                .map(m -> new Master(m.id(), m.api(), m.admin(), m.id().equals(full.leader()), healths.get(m).join())).toList();
        List<Worker> workers = full.workers().stream().map(w -> {
            List<History.WorkerPoint> points = history.getOrDefault(w.id(), List.of());
            return new Worker(w.id(), w.api(), w.admin(), healths.get(w).join(), counters.get(w).join(), totals(points), points);
        }).toList();
        ConsoleSampleStore.Fence fence = samples.fence();
        return new View(nodeId, full.leader(), new Fence(fence.token(), fence.holder(), fence.paused(),
                fence.acquiredAt() == null ? null : fence.acquiredAt().toString()), sampleInterval.toSeconds(), masters, workers, local());
    }

    private static Totals totals(List<History.WorkerPoint> points) {
        return new Totals(sum(points, History.WorkerPoint::sent), sum(points, History.WorkerPoint::failed),
                sum(points, History.WorkerPoint::retried));
    }

    private static long sum(List<History.WorkerPoint> points, java.util.function.Function<History.WorkerPoint, Long> field) {
        return points.stream().map(field).filter(Objects::nonNull).mapToLong(Long::longValue).sum();
    }

    /** This master's own view of ZooKeeper and the database. */
    private Map<String, NodeProbe.Check> local() {
        Map<String, NodeProbe.Check> checks = new LinkedHashMap<>();
        for (String name : List.of("zookeeper", "database")) {
            HealthCheck.Result result = health.runHealthCheck(name);
            checks.put(name, new NodeProbe.Check(result.isHealthy(), result.getMessage()));
        }
        return checks;
    }
}
