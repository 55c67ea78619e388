package io.herald.master.console;

import io.herald.master.db.ConsoleSampleStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * {@code GET /console/api/traffic}: the last hour's samples, cluster-wide (throughput from the workers'
 * counters, end-to-end latency, backlog, dead letters, unknown messages), and the newest sample's backlog
 * by application and priority, the largest first. A group's count stops past
 * {@link ConsoleSampleStore#BACKLOG_COUNT_CAP}, and the backlog over time adds the counts as sampled.
 */
@Path("/traffic")
@Produces(MediaType.APPLICATION_JSON)
public record ConsoleTrafficResource(ConsoleSampleStore samples, Duration sampleInterval) {
    /** {@code more}: the group holds more than {@code messages}, which is where its count stopped. */
    public record Backlog(String application, String priority, long messages, boolean more) {}

    public record View(long sampleIntervalSeconds, List<History.TrafficPoint> points, List<Backlog> backlog) {}

    @GET
    public View get() throws Exception {
        History history = new History(samples.since(Duration.ofHours(1)));
        List<Backlog> backlog = history.latestBacklog().entrySet().stream()
                .map(e -> {
                    String[] parts = e.getKey().split(":", 2); // <priority>:<application>, as ConsoleSampler writes it
                    long messages = e.getValue().longValue();
                    return new Backlog(parts[1], parts[0], Math.min(messages, ConsoleSampleStore.BACKLOG_COUNT_CAP),
                            messages > ConsoleSampleStore.BACKLOG_COUNT_CAP);
                })
                .sorted(Comparator.comparingLong(Backlog::messages).reversed()).toList();
        return new View(sampleInterval.toSeconds(), history.traffic(), backlog);
    }
}
