package io.herald.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.tools.cluster.LocalCluster;

/** The counts of a {@link ReceiverProcess}, read over HTTP. */
final class RemoteReceiver {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalCluster cluster;
    private final String statsUrl;

    RemoteReceiver(LocalCluster cluster, int port) {
        this.cluster = cluster;
        this.statsUrl = "http://127.0.0.1:" + port + "/stats";
    }

    String url() {
        return statsUrl.replace("/stats", "/hook");
    }

    JsonNode stats() throws Exception {
        return JSON.readTree(cluster.get(statsUrl).body());
    }

    /** Distinct messages so far; 0 while the receiver cannot be asked (it is counted again next time). */
    int distinct() {
        try {
            return stats().path("distinct").asInt();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (Exception e) {
            return 0;
        }
    }
}
