package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import io.herald.common.config.HeraldConfiguration;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The worker checks the address it connects to, not only the API the target it was given: a target
 * the master accepted (its allow-list has 127.0.0.1, as a name that resolved elsewhere at submit time
 * would pass) is refused by a worker whose allow-list does not, and becomes a dead letter with the
 * reason "blocked address" without a byte sent.
 */
class ConnectTimeGuardTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ClusterExtension HERALD = new ClusterExtension();

    private static WebhookReceiver receiver;
    private static ClusterHarness cluster;
    private static String api;

    @BeforeAll
    static void startCluster() throws Exception {
        receiver = new WebhookReceiver();
        cluster = HERALD.cluster();
        DropwizardTestSupport<HeraldConfiguration> master = cluster.startMaster("guard-master");
        cluster.set("webhook.allowNetworks", "").startWorker("guard-worker");
        cluster.useApplication(master, "tenant");
        api = ClusterHarness.api(master);
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void a_destination_that_resolves_inside_the_network_is_dead_lettered_as_blocked_and_never_reached() throws Exception {
        HttpResponse<String> submitted = cluster.post(api + "/v1/messages",
                "{\"channel\":\"webhook\",\"target\":\"" + receiver.url() + "\",\"subject\":\"s\",\"body\":\"b\"}");
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        long id = JSON.readTree(submitted.body()).get("id").asLong();

        JsonNode view = await().atMost(Duration.ofSeconds(30)).until(
                () -> JSON.readTree(cluster.get(api + "/v1/messages/" + id).body()),
                v -> v.path("status").asText().equals("dead"));
        assertThat(view.path("error").asText()).contains("blocked address");
        assertThat(view.path("attempts").asInt()).isEqualTo(1);
        assertThat(receiver.accepted()).isEmpty();
        assertThat(receiver.attempts("herald-" + id)).isZero();
    }
}
