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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What operators and tracers see of a running cluster: the metrics the Grafana dashboard and the alert
 * rules name, the JSON log lines with a message's fields, and a submitter's traceparent on the webhook.
 */
class ObservabilityTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern METRIC = Pattern.compile("\\bherald_[a-z0-9_]+");
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @RegisterExtension
    static final ClusterExtension HERALD = new ClusterExtension();

    @TempDir
    static Path logs;

    private static WebhookReceiver receiver;
    private static ClusterHarness cluster;
    private static DropwizardTestSupport<HeraldConfiguration> master;
    private static DropwizardTestSupport<HeraldConfiguration> worker;
    private static Path logFile;

    @BeforeAll
    static void startCluster() throws Exception {
        receiver = new WebhookReceiver();
        logFile = logs.resolve("herald.json.log");
        // One logging configuration per JVM: every node of this class writes JSON lines to one file.
        cluster = HERALD.cluster()
                .set("metrics.queueInterval", "1s")
                .set("logging.level", "INFO")
                .set("logging.appenders[0].type", "file")
                .set("logging.appenders[0].currentLogFilename", logFile.toString())
                .set("logging.appenders[0].archive", "false")
                .set("logging.appenders[0].layout.type", "json");
        master = cluster.startMaster("obs-master");
        cluster.useApplication(master, "obs");
        worker = cluster.startWorker("obs-worker");
    }

    @AfterAll
    static void stopCluster() {
        receiver.close();
    }

    private static long submit(String json, String traceparent) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ClusterHarness.api(master) + "/v1/messages"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        HttpResponse<String> response = cluster.send(request);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).get("id").asLong();
    }

    private static long submitWebhook(String traceparent) throws Exception {
        return submit("""
                {"channel":"webhook","target":"%s","subject":"s","body":"b"}""".formatted(receiver.url()), traceparent);
    }

    private static Optional<WebhookReceiver.Received> received(long id) {
        return receiver.accepted().stream().filter(r -> r.messageId() == id).findFirst();
    }

    @Test
    void the_submitters_traceparent_is_stored_and_sent_on_the_webhook_with_the_same_trace_id() throws Exception {
        long id = submitWebhook(TRACEPARENT);

        await().atMost(WAIT).until(() -> received(id).isPresent());
        assertThat(received(id).orElseThrow().traceparent()).isEqualTo(TRACEPARENT);
        assertThat(Rows.count(HERALD.database().database(),
                "SELECT COUNT(*) FROM message WHERE id = " + id + " AND traceparent = '" + TRACEPARENT + "'")).isEqualTo(1);
    }

    @Test
    void an_invalid_traceparent_is_ignored_not_stored_and_not_sent() throws Exception {
        long id = submitWebhook("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01");

        await().atMost(WAIT).until(() -> received(id).isPresent());
        assertThat(received(id).orElseThrow().traceparent()).isNull();
        assertThat(Rows.count(HERALD.database().database(),
                "SELECT COUNT(*) FROM message WHERE id = " + id + " AND traceparent IS NULL")).isEqualTo(1);
    }

    @Test
    void json_log_lines_carry_the_node_message_and_application_of_a_delivery() throws Exception {
        long id = submit("""
                {"channel":"log","target":"ops","subject":"s","body":"b"}""", null);

        await().atMost(WAIT).until(() -> deliveryLine(id).isPresent());
        JsonNode mdc = deliveryLine(id).orElseThrow().path("mdc");
        assertThat(mdc.path("node").asText()).isEqualTo("obs-worker");
        assertThat(mdc.path("application").asText()).isEqualTo("obs");
        assertThat(JSON.readTree(Files.readAllLines(logFile).get(0)).has("timestamp")).isTrue();
    }

    /** The log channel's line for the message, every line of the file parsed as JSON on the way. */
    private static Optional<JsonNode> deliveryLine(long id) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(logFile)) {
            lines.add(JSON.readTree(line));
        }
        return lines.stream().filter(l -> l.path("mdc").path("messageId").asText().equals(Long.toString(id))).findFirst();
    }

    @Test
    void every_metric_the_dashboard_and_the_alerts_name_is_served_by_a_master_or_a_worker() throws Exception {
        Set<String> named = new TreeSet<>();
        named.addAll(metricNames(Path.of("..", "docs", "grafana", "herald.json")));
        named.addAll(metricNames(Path.of("..", "docs", "prometheus", "alerts.yml")));
        assertThat(named).contains("herald_queue_messages", "herald_master_is_leader", "herald_unknown_messages");

        // The backlog gauges have points only while something is queued: hold one back.
        cluster.post(ClusterHarness.admin(master) + "/tasks/pause-dispatch", "");
        try {
            submitWebhook(null);
            await().atMost(WAIT).until(() -> served(master).contains("herald_queue_messages"));
            Set<String> served = new TreeSet<>(served(master));
            served.addAll(served(worker));
            assertThat(served).containsAll(named);
        } finally {
            cluster.post(ClusterHarness.admin(master) + "/tasks/resume-dispatch", "");
        }
    }

    private static Set<String> metricNames(Path file) throws Exception {
        Matcher m = METRIC.matcher(Files.readString(file));
        Set<String> names = new TreeSet<>();
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    /** The names of the samples on a node's /prometheus page. */
    private static Set<String> served(DropwizardTestSupport<HeraldConfiguration> node) throws Exception {
        return cluster.get(ClusterHarness.admin(node) + "/prometheus").body().lines()
                .filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("[{ ]", 2)[0])
                .collect(Collectors.toSet());
    }
}
