package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import io.herald.common.config.HeraldConfiguration;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The operator console on a master's admin port: its files are open, its API wants the admin token and answers JSON. */
class ConsoleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ClusterExtension HERALD = new ClusterExtension();

    private static ClusterHarness cluster;
    private static DropwizardTestSupport<HeraldConfiguration> master;
    private static String admin;

    @BeforeAll
    static void start() throws Exception {
        cluster = HERALD.cluster().set("master.consoleSampleInterval", "1s");
        master = cluster.startMasterAndWorker("console", "shop");
        admin = ClusterHarness.admin(master);
    }

    /** With the admin token (the harness adds it for admin ports) or with no Authorization header at all. */
    private static HttpResponse<String> raw(String method, String path, boolean withToken) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(admin + path)).method(method, HttpRequest.BodyPublishers.noBody());
        return withToken ? cluster.send(request, null) : cluster.sendRaw(request.build());
    }

    private static JsonNode json(String method, String path) throws Exception {
        HttpResponse<String> response = raw(method, path, true);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/console/", "/console/index.html", "/console/console.js", "/console/charts.js", "/console/messages.js", "/console/console.css"})
    void the_files_are_served_without_the_token_and_may_load_nothing_from_elsewhere(String path) throws Exception {
        HttpResponse<String> response = raw("GET", path, false);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(p ->
                assertThat(p).contains("default-src 'none'").contains("connect-src 'self'").doesNotContain("unsafe"));
        // The SVG namespace is a name, not an address anything is loaded from.
        assertThat(response.body().replace("http://www.w3.org/2000/svg", "")).doesNotContain("http://").doesNotContain("https://");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/console/api/cluster", "/console/api/traffic", "/console/api/messages/1", "/console/api/dead-letters",
        "/console/api/unknown", "/console/api/policy?application=shop", "/console/../tasks/pause-dispatch", "/console/nothing/../../tasks/cluster"})
    void the_api_and_anything_but_the_files_need_the_token(String path) throws Exception {
        HttpResponse<String> response = raw("GET", path, false);
        assertThat(response.statusCode()).as(response.body()).isIn(400, 401);
        assertThat(json("GET", "/console/api/cluster").get("fence").get("paused").asBoolean()).isFalse();
    }

    @Test
    void an_unknown_file_is_404_and_the_bare_path_redirects_to_the_directory() throws Exception {
        assertThat(raw("GET", "/console/secret.txt", false).statusCode()).isEqualTo(404);
        HttpResponse<String> bare = raw("GET", "/console", false);
        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(bare.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/console/"));
    }

    @Test
    void the_cluster_view_names_the_leader_its_fence_and_every_node_with_health_and_counts() throws Exception {
        // Growth is counted from one sample to the next, so the send must come after the worker's first sample.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(json("GET", "/console/api/cluster").get("workers").get(0).get("history").size()).isPositive());
        cluster.post(ClusterHarness.api(master) + "/v1/messages", "{\"channel\":\"log\",\"target\":\"t\",\"body\":\"b\"}");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode view = json("GET", "/console/api/cluster");
            assertThat(view.get("leader").asText()).isEqualTo("console-master");
            assertThat(view.get("fence").get("token").asLong()).isNotNegative();
            assertThat(view.get("fence").get("holder").asText()).isEqualTo("console-master");
            assertThat(view.get("masters").get(0).get("health").get("healthy").asBoolean()).isTrue();
            assertThat(view.get("local").get("zookeeper").get("healthy").asBoolean()).isTrue();
            assertThat(view.get("local").get("database").get("healthy").asBoolean()).isTrue();
            JsonNode worker = view.get("workers").get(0);
            assertThat(worker.get("id").asText()).isEqualTo("console-worker");
            // The worker's own metrics, read by their names: a rename in the worker fails here.
            assertThat(worker.get("now").get("sent").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(worker.get("now").fieldNames()).toIterable().containsExactly("sent", "failed", "retried", "inFlight", "tasksHeld");
            // Sampled every second by the leader: the send shows in the last hour's growth.
            assertThat(worker.get("lastHour").get("sent").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(worker.get("history").size()).isGreaterThanOrEqualTo(2);
        });
    }

    @Test
    void the_traffic_view_has_points_and_the_backlog_by_application_and_priority() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode view = json("GET", "/console/api/traffic");
            assertThat(view.get("sampleIntervalSeconds").asLong()).isEqualTo(1);
            assertThat(view.get("points").size()).isGreaterThanOrEqualTo(2);
            JsonNode last = view.get("points").get(view.get("points").size() - 1);
            assertThat(last.get("dead").asLong()).isNotNegative();
            assertThat(last.get("unknown").asLong()).isNotNegative();
            assertThat(view.get("backlog").isArray()).isTrue();
        });
    }

    @Test
    void a_message_is_found_by_id_and_by_idempotency_key_with_its_audit_trail() throws Exception {
        HttpResponse<String> sent = cluster.post(ClusterHarness.api(master) + "/v1/messages",
                "{\"channel\":\"log\",\"target\":\"t\",\"body\":\"b\",\"idempotencyKey\":\"order-7\"}");
        long id = JSON.readTree(sent.body()).get("id").asLong();
        JsonNode byId = json("GET", "/console/api/messages/" + id);
        assertThat(byId.get("message").get("application").asText()).isEqualTo("shop");
        assertThat(byId.get("message").get("idempotencyKey").asText()).isEqualTo("order-7");
        assertThat(byId.get("events").get(0).get("status").asText()).isEqualTo("queued");
        JsonNode byKey = json("GET", "/console/api/messages?application=shop&idempotencyKey=order-7");
        assertThat(byKey.get("message").get("id").asLong()).isEqualTo(id);
    }

    @ParameterizedTest
    @CsvSource({
        "/console/api/messages/abc, 400, id",
        "/console/api/messages/999999999, 404, id",
        "/console/api/messages?application=shop, 400, idempotencyKey",
        "/console/api/messages?idempotencyKey=k, 400, application",
        "/console/api/dead-letters?limit=0, 400, limit",
        "/console/api/dead-letters?olderThan=soon, 400, olderThan",
        "/console/api/dead-letters?cursor=bad, 400, cursor",
        "/console/api/unknown?after=-1, 400, after",
        "/console/api/policy, 400, application",
        "/console/api/policy?application=nobody, 404, application"})
    void bad_input_gets_a_4xx_naming_the_field(String path, int status, String field) throws Exception {
        HttpResponse<String> response = raw("GET", path, true);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(JSON.readTree(response.body()).get("field").asText()).isEqualTo(field);
    }

    @Test
    void the_policy_view_shows_each_task_with_its_settings_as_the_task_takes_them() throws Exception {
        assertThat(raw("POST", "/tasks/app-weight?application=shop&weight=3", true).statusCode()).isEqualTo(200);
        JsonNode tasks = json("GET", "/console/api/policy?application=shop").get("tasks");
        assertThat(tasks.fieldNames()).toIterable().contains("app-weight", "app-quota", "app-digest", "app-fallback", "app-retry-schedule");
        assertThat(tasks.get("app-weight").get(0).get("value").asText()).isEqualTo("3");
        assertThat(tasks.get("app-weight").get(0).get("isDefault").asBoolean()).isFalse();
        assertThat(tasks.get("app-quota").get(2).get("value").asText()).endsWith("ms");
    }

    @Test
    void draining_a_worker_through_the_master_runs_the_workers_task_and_resume_undoes_it() throws Exception {
        JsonNode drained = json("POST", "/console/api/workers/console-worker/drain");
        assertThat(drained.get("status").asInt()).isEqualTo(200);
        assertThat(drained.get("output").asText()).contains("drain");
        JsonNode resumed = json("POST", "/console/api/workers/console-worker/resume");
        assertThat(resumed.get("output").asText()).isEqualTo("taking tasks again");
        HttpResponse<String> unknown = raw("POST", "/console/api/workers/nobody/drain", true);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("field").asText()).isEqualTo("id");
    }
}
