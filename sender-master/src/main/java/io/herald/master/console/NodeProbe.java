package io.herald.master.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.common.metrics.PrometheusEndpoint;
import io.herald.common.zk.NodeInfo;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Asks other nodes' admin ports, at the addresses they registered in ZooKeeper: their health checks and
 * metrics (open on every admin port) and, for an operator's action, one of their tasks with the
 * operator's own {@code Authorization} header, so a node whose token differs refuses it. Every request
 * is bounded by {@link #TIMEOUT}; a node that does not answer is reported, never waited for longer.
 */
public final class NodeProbe {
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    /** A node's health checks: {@code healthy} when every check passed; {@code checks}: name to message (null if fine). */
    public record Health(boolean healthy, Map<String, Check> checks, String error) {}

    public record Check(boolean healthy, String message) {}

    /** What a task on another node answered: its HTTP status and its output (one line or a few). */
    public record TaskAnswer(int status, String output) {}

    private final HttpClient http;
    private final ObjectMapper json;

    public NodeProbe(ObjectMapper json) {
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        this.json = json;
    }

    public CompletableFuture<Health> health(NodeInfo node) {
        return get(node, "/healthcheck").thenApply(this::health)
                .exceptionally(e -> new Health(false, Map.of(), "no answer from " + node.admin() + ": " + rootMessage(e)));
    }

    /** The worker's counters, or null when it did not answer (the console shows it as unknown). */
    public CompletableFuture<WorkerCounters> counters(NodeInfo worker) {
        return get(worker, WorkerCounters.PAGE).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException(PrometheusEndpoint.PATH + " answered " + response.statusCode());
            }
            return WorkerCounters.fromPrometheus(response.body());
        }).exceptionally(e -> null);
    }

    /** POSTs {@code /tasks/<task>?<query>} on the node with the operator's Authorization header. */
    public TaskAnswer runTask(NodeInfo node, String task, String query, String authorization) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.admin() + "/tasks/" + task + (query.isEmpty() ? "" : "?" + query)))
                .timeout(TIMEOUT).header("Authorization", authorization).POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new TaskAnswer(response.statusCode(), response.body().strip());
    }

    private CompletableFuture<HttpResponse<String>> get(NodeInfo node, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.admin() + path)).timeout(TIMEOUT).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Dropwizard answers 200 when every check is healthy and 500 otherwise, with one entry per check either way. */
    private Health health(HttpResponse<String> response) {
        Map<String, Check> checks = new LinkedHashMap<>();
        read(response.body()).properties().forEach(entry -> checks.put(entry.getKey(),
                new Check(entry.getValue().path("healthy").asBoolean(false), entry.getValue().path("message").asText(null))));
        boolean healthy = response.statusCode() == 200 && checks.values().stream().allMatch(Check::healthy);
        return new Health(healthy, checks, healthy ? null : "health checks answered " + response.statusCode());
    }

    private JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + e.getMessage(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
