package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import io.herald.common.config.HeraldConfiguration;
import io.herald.common.testing.Rows;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two masters, two workers: the leader steps down in the middle of a 50,000-subscriber fan-out, and each subscriber gets one message. */
class FanoutFailoverTest {
    private static final int SUBSCRIBERS = 50_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final ClusterExtension herald = new ClusterExtension();

    private WebhookReceiver receiver;
    private ClusterHarness cluster;
    private final Map<String, DropwizardTestSupport<HeraldConfiguration>> masters = new HashMap<>();

    @BeforeEach
    void startCluster() throws Exception {
        receiver = new WebhookReceiver();
        // Small chunks make the fan-out last long enough for the step-down to land in its middle.
        cluster = herald.cluster()
                .set("master.fanoutChunkSize", "250")
                .set("master.claimBatchSize", "500");
        masters.put("fanout-master-a", cluster.startMaster("fanout-master-a"));
        masters.put("fanout-master-b", cluster.startMaster("fanout-master-b"));
        cluster.useApplication(masters.get("fanout-master-a"), "broadcast");
        cluster.startWorker("fanout-worker-a");
        cluster.startWorker("fanout-worker-b");
    }

    @AfterEach
    void stopCluster() throws Exception {
        receiver.close();
    }

    @Test
    void every_subscriber_gets_exactly_one_message_across_a_leader_step_down_mid_fan_out() throws Exception {
        String api = ClusterHarness.api(masters.get("fanout-master-b"));
        HttpResponse<String> topic = cluster.send(HttpRequest.newBuilder(URI.create(api + "/v1/topics/everyone"))
                .PUT(HttpRequest.BodyPublishers.noBody()));
        assertThat(topic.statusCode()).as(topic.body()).isEqualTo(201);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < SUBSCRIBERS; i++) {
            lines.append("{\"channel\":\"webhook\",\"target\":\"").append(receiver.url()).append("?subscriber=").append(i).append("\"}\n");
        }
        HttpResponse<String> subscribed = cluster.post(api + "/v1/topics/everyone/subscribers", lines.toString());
        assertThat(subscribed.statusCode()).as(subscribed.body()).isEqualTo(200);
        assertThat(JSON.readTree(subscribed.body()).get("added").asLong()).isEqualTo(SUBSCRIBERS);

        String firstLeader = cluster.awaitLeader(api, masters.keySet());
        HttpResponse<String> accepted = cluster.post(api + "/v1/messages", "{\"channel\":\"webhook\",\"topic\":\"everyone\",\"body\":\"{}\"}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        long id = JSON.readTree(accepted.body()).get("fanoutId").asLong();

        await().atMost(Duration.ofSeconds(60)).until(() -> fanout(api, id).get("created").asLong() >= SUBSCRIBERS / 10);
        HttpResponse<String> stepDown = cluster.post(ClusterHarness.admin(masters.get(firstLeader)) + "/tasks/step-down", "");
        assertThat(stepDown.body()).contains("is stepping down");
        assertThat(fanout(api, id).get("created").asLong()).as("the step-down landed mid fan-out").isLessThan(SUBSCRIBERS);

        await().atMost(Duration.ofSeconds(300)).until(() -> fanout(api, id).get("state").asText().equals("done"));
        JsonNode done = fanout(api, id);
        assertThat(done.get("total").asLong()).isEqualTo(SUBSCRIBERS);
        assertThat(done.get("created").asLong()).isEqualTo(SUBSCRIBERS);
        assertThat(done.get("sent").asLong()).isEqualTo(SUBSCRIBERS);

        String secondLeader = cluster.awaitLeader(api, masters.keySet());
        assertThat(secondLeader).isNotEqualTo(firstLeader);
        var database = herald.database().database();
        assertThat(Rows.count(database, "SELECT COUNT(*) FROM message")).isEqualTo(SUBSCRIBERS);
        assertThat(Rows.count(database, "SELECT COUNT(DISTINCT target) FROM message")).as("one message per subscriber").isEqualTo(SUBSCRIBERS);
        Map<Long, Long> perMessage = receiver.accepted().stream()
                .collect(Collectors.groupingBy(WebhookReceiver.Received::messageId, Collectors.counting()));
        assertThat(perMessage).hasSize(SUBSCRIBERS);
        assertThat(perMessage.values()).allMatch(n -> n == 1);
        assertThat(Rows.count(database, "SELECT COUNT(DISTINCT node) FROM message_event WHERE reason LIKE 'fanned out from fan-out%'"))
                .as("both leaders created part of the fan-out").isEqualTo(2);
        assertThat(Rows.count(database, "SELECT COUNT(DISTINCT holder) FROM fence_event WHERE accepted = 1")).isEqualTo(2);
    }

    private JsonNode fanout(String api, long id) throws Exception {
        return JSON.readTree(cluster.get(api + "/v1/fanouts/" + id).body());
    }
}
