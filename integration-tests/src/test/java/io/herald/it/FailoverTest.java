package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import io.herald.common.config.HeraldConfiguration;
import io.herald.common.testing.Rows;
import io.herald.common.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two masters, two workers: leadership moves in the middle of a run, and every message still arrives once. */
class FailoverTest {
    private static final int MESSAGES = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final ClusterExtension herald = new ClusterExtension();

    private TestDatabase database;
    private WebhookReceiver receiver;
    private ClusterHarness cluster;
    private final Map<String, DropwizardTestSupport<HeraldConfiguration>> masters = new java.util.HashMap<>();

    @BeforeEach
    void startCluster() throws Exception {
        database = herald.database();
        receiver = new WebhookReceiver();
        // Small batches make the run last long enough for the step-down to land in its middle.
        cluster = herald.cluster()
                .set("master.claimBatchSize", "100")
                .set("master.taskSize", "50")
                .set("master.maxQueuedTasks", "4");
        masters.put("master-a", cluster.startMaster("master-a"));
        masters.put("master-b", cluster.startMaster("master-b"));
        cluster.useApplication(masters.get("master-a"), "load");
        cluster.startWorker("worker-a");
        cluster.startWorker("worker-b");
    }

    @AfterEach
    void stopCluster() throws Exception {
        receiver.close();
    }

    @Test
    void five_thousand_messages_arrive_exactly_once_across_a_leader_step_down() throws Exception {
        String api = ClusterHarness.api(masters.get("master-b"));
        String firstLeader = awaitLeader(api);
        cluster.post(ClusterHarness.admin(masters.get(firstLeader)) + "/tasks/pause-dispatch", "");
        for (int batch = 0; batch < MESSAGES / 1_000; batch++) {
            List<String> items = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                items.add("{\"channel\":\"webhook\",\"target\":\"%s\",\"body\":\"%d\"}"
                        .formatted(receiver.url(), batch * 1_000 + i));
            }
            HttpResponse<String> response = cluster.post(api + "/v1/messages/batch", "[" + String.join(",", items) + "]");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        }
        cluster.post(ClusterHarness.admin(masters.get(firstLeader)) + "/tasks/resume-dispatch", "");

        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.accepted().size() >= MESSAGES / 5);
        HttpResponse<String> stepDown = cluster.post(ClusterHarness.admin(masters.get(firstLeader)) + "/tasks/step-down", "");
        assertThat(stepDown.body()).contains("is stepping down");
        assertThat(receiver.accepted().size()).as("the step-down landed mid-run").isLessThan(MESSAGES);

        await().atMost(Duration.ofSeconds(120)).until(() -> Rows.statusCounts(database.database()).getOrDefault("sent", 0) == MESSAGES);

        String secondLeader = awaitLeader(api);
        assertThat(secondLeader).isNotEqualTo(firstLeader);
        Map<String, Long> perKey = receiver.accepted().stream()
                .collect(Collectors.groupingBy(WebhookReceiver.Received::idempotencyKey, Collectors.counting()));
        assertThat(perKey).hasSize(MESSAGES);
        assertThat(perKey.values()).allMatch(n -> n == 1);
        assertThat(Rows.count(database.database(), "SELECT COUNT(DISTINCT holder) FROM fence_event WHERE accepted = 1"))
                .isEqualTo(2);
        assertThat(Rows.count(database.database(), "SELECT COUNT(DISTINCT dispatch_token) FROM message"))
                .as("both leaders dispatched part of the run").isEqualTo(2);
    }

    private String awaitLeader(String api) {
        Function<String, String> leader = url -> {
            try {
                return JSON.readTree(cluster.get(url + "/v1/cluster").body()).get("leader").asText(null);
            } catch (Exception e) {
                return null;
            }
        };
        await().atMost(Duration.ofSeconds(30)).until(() -> masters.containsKey(leader.apply(api)));
        return leader.apply(api);
    }
}
