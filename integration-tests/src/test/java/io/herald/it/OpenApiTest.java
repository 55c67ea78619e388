package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import io.herald.common.config.HeraldConfiguration;
import io.swagger.v3.oas.models.SpecVersion;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/openapi.yaml describes {@code /v1} as the masters serve it: every registered resource method,
 * every answer's status and body, recorded from a running cluster, and {@code GET /v1/openapi.json}
 * serves it.
 */
class OpenApiTest {
    /** Every request can get these, whatever the operation: no key, over the rate, the database away. */
    private static final Set<String> EVERY_OPERATION_CAN_ANSWER = Set.of("401", "429", "503");
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ClusterExtension HERALD = new ClusterExtension();

    private static ClusterHarness cluster;
    private static DropwizardTestSupport<HeraldConfiguration> master;
    private static ApiDescription description;
    private static String api;
    private static String key;

    @BeforeAll
    static void startCluster() throws Exception {
        description = ApiDescription.load();
        cluster = HERALD.cluster();
        master = cluster.startMaster("openapi-master");
        cluster.startWorker("openapi-worker");
        key = cluster.useApplication(master, "described").apiKey();
        api = ClusterHarness.api(master);
    }

    @Test
    void the_description_is_openapi_3_1_and_v1_openapi_json_serves_it_as_json() throws Exception {
        assertThat(description.model().getSpecVersion()).isEqualTo(SpecVersion.V31);
        HttpResponse<String> served = cluster.get(api + "/v1/openapi.json");
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(JSON.readTree(served.body())).isEqualTo(description.tree());
    }

    @Test
    void every_resource_method_the_master_registers_under_v1_is_described_and_nothing_else_is() {
        Set<String> registered = RegisteredEndpoints.of(master).stream()
                .filter(e -> e.path().startsWith("/v1/"))
                .map(e -> e.method() + " " + e.path())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(registered).contains("GET /v1/messages/{id}", "PUT /v1/templates/{channel}/{name}", "GET /v1/openapi.json");
        assertThat(description.operations()).isEqualTo(registered);
    }

    @Test
    void every_error_an_operation_can_answer_is_described_with_the_json_error_body() {
        for (String operation : description.operations()) {
            List<String[]> responses = description.responses(operation);
            assertThat(responses).as(operation).extracting(r -> r[0])
                    .containsAll(description.isPublic(operation) ? Set.of("503") : EVERY_OPERATION_CAN_ANSWER);
            responses.stream().filter(r -> r[0].startsWith("4") || r[0].startsWith("5")).filter(r -> !description.isPage(operation, r[0]))
                    .forEach(r -> assertThat(ApiDescription.isErrorBody(r[1])).as(operation + " " + r[0] + " has the error body").isTrue());
        }
    }

    @Test
    void an_answer_the_description_does_not_allow_is_found_out() throws Exception {
        assertThat(description.problems(new ApiDescription.Exchange("GET", "/v1/messages/{id}", 200, "{\"id\":\"17\",\"status\":\"lost\"}")))
                .hasSizeGreaterThanOrEqualTo(3); // id not an integer, status not one of them, required fields missing
        assertThat(description.problems(new ApiDescription.Exchange("GET", "/v1/messages/{id}", 404, "{\"code\":404,\"message\":\"no\"}")))
                .isNotEmpty();
        assertThat(description.problems(new ApiDescription.Exchange("GET", "/v1/messages/{id}", 418, "{}")))
                .singleElement().asString().contains("status not described");
    }

    @Test
    void recorded_answers_of_every_operation_validate_against_the_description() throws Exception {
        List<ApiDescription.Exchange> exchanges = new ArrayList<>();
        exchanges.addAll(new Recorder(cluster, api, key).messages());
        exchanges.addAll(new Recorder(cluster, api, key).templates());
        exchanges.addAll(new Recorder(cluster, api, key).deadLetters());
        exchanges.addAll(new Recorder(cluster, api, key).cancels());
        exchanges.addAll(new Recorder(cluster, api, key).recipients());
        exchanges.addAll(new Recorder(cluster, api, key).topics());
        exchanges.addAll(new Recorder(cluster, api, key).suppressions());
        exchanges.addAll(new Recorder(cluster, api, key).unsubscribe());
        exchanges.addAll(new Recorder(cluster, api, key).withoutKeyAndOverTheRate(description.operations(),
                cluster.createApplication(master, "limited").apiKey(), ClusterHarness.admin(master)));

        List<String> problems = new ArrayList<>();
        for (ApiDescription.Exchange exchange : exchanges) {
            problems.addAll(description.problems(exchange));
        }
        assertThat(problems).isEmpty();
        Set<String> exercised = exchanges.stream().map(e -> e.method() + " " + e.path()).collect(Collectors.toSet());
        assertThat(exercised).containsAll(description.operations());
        Set<Integer> statuses = exchanges.stream().map(ApiDescription.Exchange::status).collect(Collectors.toSet());
        assertThat(statuses).contains(200, 201, 202, 204, 400, 401, 404, 409, 413, 429);
    }

    /** Sends requests and keeps each answer with the operation it belongs to. */
    private static final class Recorder {
        private static final String MESSAGE = "{\"channel\":\"log\",\"target\":\"ops\",\"body\":\"described\"}";
        private final ClusterHarness cluster;
        private final String api;
        private final String key;
        private final List<ApiDescription.Exchange> recorded = new ArrayList<>();

        Recorder(ClusterHarness cluster, String api, String key) {
            this.cluster = cluster;
            this.api = api;
            this.key = key;
        }

        private HttpResponse<String> send(String method, String template, String path, String body, String withKey) throws Exception {
            return send(method, template, path, body, withKey, "application/json");
        }

        private HttpResponse<String> send(String method, String template, String path, String body, String withKey, String type)
                throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).header("Content-Type", type)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> response = cluster.send(request, withKey);
            recorded.add(new ApiDescription.Exchange(method, template, response.statusCode(), response.body()));
            return response;
        }

        private HttpResponse<String> send(String method, String template, String path, String body) throws Exception {
            return send(method, template, path, body, key);
        }

        List<ApiDescription.Exchange> messages() throws Exception {
            long id = JSON.readTree(send("POST", "/v1/messages", "/v1/messages", MESSAGE).body()).get("id").asLong();
            send("POST", "/v1/messages/batch", "/v1/messages/batch", "[" + MESSAGE + "," + MESSAGE + "]");
            send("GET", "/v1/messages/{id}", "/v1/messages/" + id + "?wait=30s", null);
            send("GET", "/v1/messages/{id}", "/v1/messages/" + id, null);
            send("GET", "/v1/messages/{id}/events", "/v1/messages/" + id + "/events", null);
            send("GET", "/v1/messages/{id}", "/v1/messages/+5", null);
            send("GET", "/v1/messages/{id}", "/v1/messages/" + id + "?wait=forever", null);
            send("GET", "/v1/messages/{id}/events", "/v1/messages/0/events", null);
            send("POST", "/v1/messages", "/v1/messages", "{\"channel\":\"pigeon\"}");
            send("POST", "/v1/messages/batch", "/v1/messages/batch", "[{\"channel\":\"log\"}]");
            String keyed = "{\"channel\":\"log\",\"target\":\"ops\",\"body\":\"%s\",\"idempotencyKey\":\"described-1\"}";
            send("POST", "/v1/messages", "/v1/messages", keyed.formatted("first"));
            send("POST", "/v1/messages", "/v1/messages", keyed.formatted("first"));
            send("POST", "/v1/messages", "/v1/messages", keyed.formatted("other content"));
            send("POST", "/v1/messages", "/v1/messages", "{\"body\":\"" + "x".repeat(600 * 1024) + "\"}");
            send("GET", "/v1/cluster", "/v1/cluster", null);
            send("GET", "/v1/openapi.json", "/v1/openapi.json", null);
            return recorded;
        }

        List<ApiDescription.Exchange> templates() throws Exception {
            String path = "/v1/templates/email/welcome";
            String template = "/v1/templates/{channel}/{name}";
            send("PUT", template, path, "{\"subject\":\"Hi {{name}}\",\"body\":\"Hello {{name}}\"}");
            send("PUT", template, path, "{\"subject\":\"Hi again {{name}}\",\"body\":\"Hello {{name}}\",\"format\":\"html\"}");
            send("GET", template, path, null);
            send("GET", "/v1/templates", "/v1/templates", null);
            send("PUT", template, path, "{\"subject\":\"no body\"}");
            send("PUT", template, path, "{\"body\":\"" + "x".repeat(600 * 1024) + "\"}");
            send("DELETE", template, path, null);
            send("DELETE", template, path, null);
            send("GET", template, path, null);
            return recorded;
        }

        /** A webhook to a closed port on this machine fails until its retries are used up: a dead letter. */
        List<ApiDescription.Exchange> deadLetters() throws Exception {
            long id = JSON.readTree(cluster.post(api + "/v1/messages",
                    "{\"channel\":\"webhook\",\"target\":\"http://127.0.0.1:1/closed\",\"body\":\"{}\"}", key).body()).get("id").asLong();
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    JSON.readTree(cluster.get(api + "/v1/messages/" + id, key).body()).get("status").asText().equals("dead"));
            send("GET", "/v1/dead-letters", "/v1/dead-letters?limit=1", null);
            send("GET", "/v1/dead-letters", "/v1/dead-letters?cursor=not-a-cursor", null);
            send("POST", "/v1/dead-letters/requeue", "/v1/dead-letters/requeue", null);
            send("POST", "/v1/dead-letters/requeue", "/v1/dead-letters/requeue?id=" + id, null);
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    JSON.readTree(cluster.get(api + "/v1/messages/" + id, key).body()).get("status").asText().equals("dead"));
            send("DELETE", "/v1/dead-letters", "/v1/dead-letters?id=" + id + "&id=" + (id + 1_000_000), null);
            send("DELETE", "/v1/dead-letters", "/v1/dead-letters?olderThan=forever", null);
            return recorded;
        }

        /** A message scheduled an hour ahead is still queued when it is cancelled; one sent already is a 409. */
        List<ApiDescription.Exchange> cancels() throws Exception {
            String later = "{\"channel\":\"log\",\"target\":\"ops\",\"body\":\"later\",\"sendAt\":\""
                    + Instant.now().plus(Duration.ofHours(1)) + "\",\"cancelKey\":\"%s\"}";
            long scheduled = JSON.readTree(send("POST", "/v1/messages", "/v1/messages", later.formatted("described-one")).body())
                    .get("id").asLong();
            send("GET", "/v1/messages/{id}", "/v1/messages/" + scheduled, null);
            assertThat(send("DELETE", "/v1/messages/{id}", "/v1/messages/" + scheduled, null).statusCode()).isEqualTo(200);
            send("GET", "/v1/messages/{id}/events", "/v1/messages/" + scheduled + "/events", null);
            long sent = JSON.readTree(send("POST", "/v1/messages", "/v1/messages", MESSAGE).body()).get("id").asLong();
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    JSON.readTree(cluster.get(api + "/v1/messages/" + sent, key).body()).get("status").asText().equals("sent"));
            assertThat(send("DELETE", "/v1/messages/{id}", "/v1/messages/" + sent, null).statusCode()).isEqualTo(409);
            send("DELETE", "/v1/messages/{id}", "/v1/messages/0", null);
            send("POST", "/v1/messages/batch", "/v1/messages/batch", "[" + later.formatted("described-bulk") + "," + later.formatted("described-bulk") + "]");
            HttpResponse<String> bulk = send("DELETE", "/v1/messages", "/v1/messages?cancelKey=described-bulk", null);
            assertThat(JSON.readTree(bulk.body()).get("cancelled").asInt()).isEqualTo(2);
            send("DELETE", "/v1/messages", "/v1/messages", null);
            return recorded;
        }

        /** Preferences set, read and imported; a message to a recipient who opted out of its category ends opted_out. */
        List<ApiDescription.Exchange> recipients() throws Exception {
            String preferences = "/v1/recipients/preferences";
            String reader = preferences + "?recipient=described-reader";
            assertThat(send("PUT", preferences, reader, "{\"optOut\":{\"channels\":[\"webhook\"],\"categories\":[\"digest\"]}}")
                    .statusCode()).isEqualTo(200);
            send("GET", preferences, reader, null);
            send("GET", preferences, preferences, null);
            send("PUT", preferences, reader, "{\"optOut\":{\"all\":1}}");
            send("PUT", preferences, reader, "{\"optOut\":{\"categories\":[\"" + "x".repeat(70 * 1024) + "\"]}}");
            String imports = "/v1/recipients/imports/{id}";
            String lines = "{\"recipient\":\"described-1\",\"optOut\":{\"all\":true}}\n{\"recipient\":\"described-2\",\"optOut\":{}}\n";
            assertThat(send("POST", imports, "/v1/recipients/imports/described", lines, key, "application/x-ndjson").statusCode()).isEqualTo(200);
            send("GET", imports, "/v1/recipients/imports/described", null);
            send("POST", imports, "/v1/recipients/imports/described-bad", "{\"recipient\":\"r\",\"optOut\":{\"all\":1}}\n", key,
                    "application/x-ndjson");
            send("POST", imports, "/v1/recipients/imports/described-long", "x".repeat(70 * 1024) + "\n", key, "application/x-ndjson");
            assertThat(send("POST", imports, "/v1/recipients/imports/described-csv", "recipient,all,categories\ndescribed-3,false,news;digest\n",
                    key, "text/csv").statusCode()).isEqualTo(200);
            send("POST", imports, "/v1/recipients/imports/described-csv-bad", "recipient,colour\nr,red\n", key, "text/csv; charset=utf-8");
            send("GET", imports, "/v1/recipients/imports/-bad", null);
            send("GET", imports, "/v1/recipients/imports/nothing-here", null);
            String digest = "{\"channel\":\"log\",\"target\":\"ops\",\"body\":\"news\",\"recipient\":\"described-reader\",\"category\":\"digest\"}";
            long optedOut = JSON.readTree(send("POST", "/v1/messages", "/v1/messages", digest).body()).get("id").asLong();
            HttpResponse<String> status = send("GET", "/v1/messages/{id}", "/v1/messages/" + optedOut + "?wait=30s", null);
            assertThat(JSON.readTree(status.body()).get("status").asText()).isEqualTo("opted_out");
            return recorded;
        }

        /** A topic with subscribers added, listed and removed, a message that fans out to them, its progress; and their errors. */
        List<ApiDescription.Exchange> topics() throws Exception {
            String topic = "/v1/topics/{name}";
            String subscribers = topic + "/subscribers";
            String remove = subscribers + "/remove";
            assertThat(send("PUT", topic, "/v1/topics/described", null).statusCode()).isEqualTo(201);
            send("PUT", topic, "/v1/topics/described", "{\"description\":\"described topic\"}");
            send("PUT", topic, "/v1/topics/-bad", null);
            send("PUT", topic, "/v1/topics/described", "{\"description\":\"" + "x".repeat(9 * 1024) + "\"}");
            send("GET", topic, "/v1/topics/described", null);
            send("GET", topic, "/v1/topics/nothing-here", null);
            String lines = "{\"channel\":\"log\",\"target\":\"described-1\"}\n{\"channel\":\"log\",\"target\":\"described-2\"}\n";
            send("POST", subscribers, "/v1/topics/described/subscribers", lines, key, "application/x-ndjson");
            send("POST", subscribers, "/v1/topics/described/subscribers", "[{\"channel\":\"log\",\"target\":\"described-3\"}]");
            send("POST", subscribers, "/v1/topics/described/subscribers", "{\"channel\":\"pigeon\",\"target\":\"x\"}\n", key, "application/x-ndjson");
            send("POST", subscribers, "/v1/topics/nothing-here/subscribers", lines, key, "application/x-ndjson");
            send("POST", subscribers, "/v1/topics/described/subscribers", "x".repeat(17 * 1024) + "\n", key, "application/x-ndjson");
            send("GET", subscribers, "/v1/topics/described/subscribers?limit=2", null);
            send("GET", subscribers, "/v1/topics/described/subscribers?cursor=abc", null);
            send("GET", subscribers, "/v1/topics/nothing-here/subscribers", null);
            send("POST", remove, "/v1/topics/described/subscribers/remove", "[{\"channel\":\"log\",\"target\":\"described-3\"}]");
            send("POST", remove, "/v1/topics/described/subscribers/remove", "[{\"channel\":\"log\"}]");
            send("POST", remove, "/v1/topics/nothing-here/subscribers/remove", "[]");
            send("POST", remove, "/v1/topics/described/subscribers/remove", "[{\"channel\":\"log\",\"target\":\"" + "x".repeat(17 * 1024) + "\"}]");
            HttpResponse<String> fanout = send("POST", "/v1/messages", "/v1/messages",
                    "{\"channel\":\"log\",\"topic\":\"described\",\"body\":\"to the topic\"}");
            long id = JSON.readTree(fanout.body()).get("fanoutId").asLong();
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    JSON.readTree(cluster.get(api + "/v1/fanouts/" + id, key).body()).get("state").asText().equals("done"));
            send("GET", "/v1/fanouts/{id}", "/v1/fanouts/" + id, null);
            send("GET", "/v1/fanouts/{id}", "/v1/fanouts/0", null);
            send("DELETE", "/v1/fanouts/{id}", "/v1/fanouts/" + id, null);
            HttpResponse<String> later = send("POST", "/v1/messages", "/v1/messages", "{\"channel\":\"log\",\"topic\":\"described\","
                    + "\"body\":\"later\",\"sendAt\":\"" + java.time.Instant.now().plus(Duration.ofHours(1)) + "\"}");
            long scheduled = JSON.readTree(later.body()).get("fanoutId").asLong();
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    JSON.readTree(cluster.get(api + "/v1/fanouts/" + scheduled, key).body()).get("state").asText().equals("sending"));
            HttpResponse<String> cancelled = send("DELETE", "/v1/fanouts/{id}", "/v1/fanouts/" + scheduled, null);
            assertThat(JSON.readTree(cancelled.body()).get("cancelled").asLong()).isEqualTo(2);
            send("GET", "/v1/fanouts/{id}", "/v1/fanouts/" + scheduled, null);
            send("DELETE", "/v1/fanouts/{id}", "/v1/fanouts/0", null);
            send("DELETE", topic, "/v1/topics/described", null);
            send("DELETE", topic, "/v1/topics/described", null);
            return recorded;
        }

        /** Entries added, listed (a page, one entry), removed; a message to a listed target ends suppressed. */
        List<ApiDescription.Exchange> suppressions() throws Exception {
            String path = "/v1/suppressions";
            assertThat(send("POST", path, path, "{\"channel\":\"log\",\"target\":\"described-gone\",\"expiresAt\":\""
                    + Instant.now().plus(Duration.ofDays(1)) + "\"}").statusCode()).isEqualTo(200);
            send("POST", path, path, "{\"channel\":\"email\",\"target\":\"gone@example.org\",\"reason\":\"asked\"}");
            send("POST", path, path, "{\"channel\":\"fax\"}");
            send("POST", path, path, "{\"target\":\"" + "x".repeat(20 * 1024) + "\"}");
            send("GET", path, path + "?limit=1", null);
            send("GET", path, path + "?channel=log&target=described-gone", null);
            send("GET", path, path + "?cursor=bogus", null);
            long suppressed = JSON.readTree(send("POST", "/v1/messages", "/v1/messages",
                    "{\"channel\":\"log\",\"target\":\"described-gone\",\"body\":\"b\",\"critical\":true}").body()).get("id").asLong();
            HttpResponse<String> status = send("GET", "/v1/messages/{id}", "/v1/messages/" + suppressed + "?wait=30s", null);
            assertThat(JSON.readTree(status.body()).get("status").asText()).isEqualTo("suppressed");
            assertThat(send("DELETE", path, path + "?channel=email&target=gone%40example.org", null).statusCode()).isEqualTo(200);
            send("DELETE", path, path + "?channel=email&target=gone%40example.org", null);
            send("DELETE", path, path + "?channel=email", null);
            return recorded;
        }

        /** A link as a worker signs it: its page, the one-click POST (JSON), and a forged token. */
        List<ApiDescription.Exchange> unsubscribe() throws Exception {
            String template = "/v1/unsubscribe/{token}";
            String token = new io.herald.common.unsubscribe.UnsubscribeToken(ClusterHarness.UNSUBSCRIBE_KEY)
                    .sign(new io.herald.common.unsubscribe.UnsubscribeToken.Claims("described", "email", "described-reader", "weekly"));
            send("GET", template, "/v1/unsubscribe/" + token, null, null);
            assertThat(send("POST", template, "/v1/unsubscribe/" + token, "List-Unsubscribe=One-Click", null,
                    "application/x-www-form-urlencoded").statusCode()).isEqualTo(200);
            send("GET", template, "/v1/unsubscribe/" + token + "x", null, null);
            send("POST", template, "/v1/unsubscribe/" + token + "x", "List-Unsubscribe=One-Click", null, "application/x-www-form-urlencoded");
            return recorded;
        }

        /** Each operation once without a key; then one application past its rate of one request. */
        List<ApiDescription.Exchange> withoutKeyAndOverTheRate(Set<String> operations, String limitedKey, String admin) throws Exception {
            for (String operation : operations) {
                String[] parts = operation.split(" ", 2);
                send(parts[0], parts[1], parts[1].replaceAll("\\{[^}]+}", "1"), parts[0].equals("GET") || parts[0].equals("DELETE") ? null : "{}", null);
            }
            HttpResponse<String> set = cluster.post(admin + "/tasks/app-rate-limit?application=limited&perSecond=1&burst=1", "");
            assertThat(set.statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> send("GET", "/v1/cluster", "/v1/cluster", null, limitedKey).statusCode() == 429);
            return recorded;
        }
    }
}
