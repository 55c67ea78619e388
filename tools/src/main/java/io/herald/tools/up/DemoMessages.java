package io.herald.tools.up;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.herald.tools.cluster.LocalCluster;
import io.herald.tools.cluster.NodeProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The five demo messages {@code bin/herald up} sends through the log channel, one per priority and a second medium. */
final class DemoMessages {
    private static final List<String> PRIORITIES = List.of("urgent", "high", "medium", "low", "medium");
    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoMessages() {
    }

    /** Sends them in one batch and returns their ids, in order. */
    static List<Long> send(LocalCluster cluster, String api, String apiKey) throws Exception {
        ArrayNode batch = JSON.createArrayNode();
        for (int i = 1; i <= PRIORITIES.size(); i++) {
            batch.addObject().put("channel", "log").put("target", "ops-room").put("subject", "demo " + i)
                    .put("body", "Hello from Herald, message " + i + " of " + PRIORITIES.size()).put("priority", PRIORITIES.get(i - 1));
        }
        HttpResponse<String> response = cluster.post(api + "/v1/messages/batch", JSON.writeValueAsString(batch), apiKey);
        if (response.statusCode() != 202) {
            throw new IllegalStateException("the API refused the demo messages: " + response.statusCode() + " " + response.body().strip());
        }
        List<Long> ids = new ArrayList<>();
        for (JsonNode result : JSON.readTree(response.body())) {
            ids.add(result.get("id").asLong());
        }
        return ids;
    }

    /** The workers whose log says they delivered message {@code id} (the log channel writes "delivered message <id> ("). */
    static String deliveredBy(long id, List<NodeProcess> workers) {
        String needle = "delivered message " + id + " (";
        String names = workers.stream().filter(w -> logContains(w, needle)).map(NodeProcess::name).collect(Collectors.joining(","));
        return names.isEmpty() ? "?" : names;
    }

    private static boolean logContains(NodeProcess worker, String needle) {
        try (var lines = Files.lines(worker.log())) {
            return lines.anyMatch(line -> line.contains(needle));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }
}
