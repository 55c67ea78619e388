package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.dropwizard.testing.DropwizardTestSupport;
import io.herald.common.config.HeraldConfiguration;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Email through two SMTP relays (smtp.relays), the first stopped mid-run: its messages go to the second without
 * spending an attempt, and the worker's metrics, health check and the console say the first is down.
 */
class SmtpRelaysClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ClusterExtension HERALD = new ClusterExtension();

    private static ClusterHarness cluster;
    private static DropwizardTestSupport<HeraldConfiguration> master;
    private static DropwizardTestSupport<HeraldConfiguration> worker;
    private static String api;
    private static GreenMail primary;
    private static GreenMail backup;

    @BeforeAll
    static void startCluster() throws Exception {
        primary = smtp();
        backup = smtp();
        cluster = HERALD.cluster().addToSection("smtp", """
                  relays:
                    - name: primary
                      host: 127.0.0.1
                      port: %d
                      priority: 0
                      downFor: 1m
                    - name: backup
                      host: 127.0.0.1
                      port: %d
                      priority: 1
                """.formatted(primary.getSmtp().getPort(), backup.getSmtp().getPort()));
        master = cluster.startMaster("relays-master");
        worker = cluster.startWorker("relays-worker");
        cluster.useApplication(master, "mailer");
        api = ClusterHarness.api(master);
    }

    @AfterAll
    static void stopSmtp() {
        primary.stop();
        backup.stop();
    }

    @Test
    void a_relay_stopped_mid_run_hands_its_messages_to_the_next_and_shows_down_in_metrics_health_and_console() throws Exception {
        List<Long> before = submit(0, 10);
        await().atMost(Duration.ofSeconds(30)).until(() -> before.stream().allMatch(this::sent));
        assertThat(primary.getReceivedMessages()).hasSize(10);

        primary.stop();
        List<Long> after = submit(10, 10);
        await().atMost(Duration.ofSeconds(30)).until(() -> after.stream().allMatch(this::sent));
        for (long id : after) {
            assertThat(cluster.status(api, id).get("attempts").asInt()).as("message %d spent one attempt", id).isEqualTo(1);
        }
        assertThat(backup.getReceivedMessages()).hasSize(10);

        String metrics = cluster.get(ClusterHarness.admin(worker) + "/prometheus").body();
        assertThat(metrics).contains("herald_smtp_relay_up{relay=\"primary\"} 0", "herald_smtp_relay_up{relay=\"backup\"} 1",
                "herald_smtp_relay_messages_total{relay=\"backup\"} 10");
        JsonNode health = JSON.readTree(cluster.get(ClusterHarness.admin(worker) + "/healthcheck").body()).get("smtp-relays");
        assertThat(health.get("healthy").asBoolean()).isTrue();
        assertThat(health.get("message").asText()).startsWith("primary down for ").endsWith("; backup up");

        HttpRequest.Builder console = HttpRequest.newBuilder(URI.create(ClusterHarness.admin(master) + "/console/api/cluster")).GET();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode view = JSON.readTree(cluster.send(console, null).body());
            JsonNode check = view.get("workers").get(0).get("health").get("checks").get("smtp-relays");
            assertThat(check.get("message").asText()).startsWith("primary down for ");
        });
    }

    private List<Long> submit(int from, int count) throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            ids.add(cluster.submit(api, "{\"channel\":\"email\",\"target\":\"user" + i + "@example.com\",\"subject\":\"s\",\"body\":\"b " + i + "\"}"));
        }
        return ids;
    }

    private boolean sent(long id) {
        try {
            return cluster.status(api, id).get("status").asText().equals("sent");
        } catch (Exception e) {
            return false;
        }
    }

    private static GreenMail smtp() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        GreenMail server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        return server;
    }
}
