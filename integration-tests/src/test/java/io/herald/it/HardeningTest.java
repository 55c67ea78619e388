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
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a tenant can try that needs stored messages or a worker: ids, idempotency keys, rate limits, template bombs. */
class HardeningTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final ClusterExtension HERALD = new ClusterExtension();

    private static ClusterHarness cluster;
    private static DropwizardTestSupport<HeraldConfiguration> master;
    private static String api;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = HERALD.cluster();
        master = cluster.startMasterAndWorker("hardening", "tenant");
        api = ClusterHarness.api(master);
    }

    private static HttpResponse<String> submit(String json) throws Exception {
        return cluster.post(api + "/v1/messages", json);
    }

    private static long id(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).get("id").asLong();
    }

    private static JsonNode status(long id) throws Exception {
        return JSON.readTree(cluster.get(api + "/v1/messages/" + id).body());
    }

    @Test
    void an_id_is_digits_only() throws Exception {
        long id = id(submit("{\"channel\":\"log\",\"target\":\"ops\",\"body\":\"ids\"}"));
        assertThat(cluster.get(api + "/v1/messages/" + id).statusCode()).isEqualTo(200);
        for (String spelling : new String[] {"+" + id, "0" + id, id + "%20", "%20" + id, "-0", id + "/events/../"}) {
            HttpResponse<String> response = cluster.get(api + "/v1/messages/" + spelling);
            assertThat(response.statusCode()).as(spelling).isEqualTo(404);
        }
        assertThat(cluster.get(api + "/v1/messages/+" + id + "/events").statusCode()).isEqualTo(404);
    }

    @Test
    void keys_that_differ_only_in_trailing_space_are_different_keys() throws Exception {
        long plain = id(submit("{\"channel\":\"log\",\"target\":\"ops\",\"body\":\"k\",\"idempotencyKey\":\"pad\"}"));
        long padded = id(submit("{\"channel\":\"log\",\"target\":\"ops\",\"body\":\"k\",\"idempotencyKey\":\"pad \"}"));
        assertThat(padded).isNotEqualTo(plain);
        HttpResponse<String> again = submit("{\"channel\":\"log\",\"target\":\"ops\",\"body\":\"k\",\"idempotencyKey\":\"pad \"}");
        assertThat(id(again)).isEqualTo(padded);
        assertThat(JSON.readTree(again.body()).get("duplicate").asBoolean()).isTrue();
    }

    @Test
    void the_same_key_with_a_different_message_is_409_naming_the_key_and_the_first_message() throws Exception {
        long first = id(submit("{\"channel\":\"log\",\"target\":\"ops\",\"body\":\"one\",\"idempotencyKey\":\"order-7\"}"));
        HttpResponse<String> other = submit("{\"channel\":\"log\",\"target\":\"ops\",\"body\":\"two\",\"idempotencyKey\":\"order-7\"}");
        assertThat(other.statusCode()).isEqualTo(409);
        JsonNode error = JSON.readTree(other.body());
        assertThat(error.get("field").asText()).isEqualTo("idempotencyKey");
        assertThat(error.get("errors").get(0).get("message").asText()).contains("message " + first);

        HttpResponse<String> batch = cluster.post(api + "/v1/messages/batch", "[{\"channel\":\"log\",\"target\":\"ops\",\"body\":\"a\","
                + "\"idempotencyKey\":\"b-1\"},{\"channel\":\"log\",\"target\":\"ops\",\"body\":\"b\",\"idempotencyKey\":\"b-1\"}]");
        assertThat(batch.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(batch.body()).get("field").asText()).isEqualTo("[1].idempotencyKey");
    }

    @Test
    void past_its_rate_an_application_gets_429_with_retry_after_and_json() throws Exception {
        String key = cluster.createApplication(master, "chatty").apiKey();
        HttpResponse<String> set = cluster.post(ClusterHarness.admin(master) + "/tasks/app-rate-limit?application=chatty&perSecond=1&burst=3", "");
        assertThat(set.body()).contains("perSecond=1 burst=3");
        int[] statuses = new int[5];
        for (int i = 0; i < statuses.length; i++) {
            statuses[i] = cluster.get(api + "/v1/cluster", key).statusCode();
        }
        assertThat(statuses).containsSubsequence(200, 200, 200, 429);
        HttpResponse<String> refused = cluster.get(api + "/v1/cluster", key);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(JSON.readTree(refused.body()).get("code").asInt()).isEqualTo(429);
        // Another application is not held back by this one.
        assertThat(cluster.get(api + "/v1/cluster").statusCode()).isEqualTo(200);
    }

    @Test
    void a_template_that_would_expand_to_terabytes_fails_its_own_message_and_nothing_else() throws Exception {
        HttpResponse<String> put = cluster.send(HttpRequest.newBuilder(URI.create(api + "/v1/templates/log/bomb"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"body\":\"{{#l}}{{#l}}{{#l}}{{#l}}x{{/l}}{{/l}}{{/l}}{{/l}}\"}")));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        String list = IntStream.range(0, 1_500).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]"));
        HttpResponse<String> batch = cluster.post(api + "/v1/messages/batch", "[{\"channel\":\"log\",\"target\":\"ops\",\"template\":\"bomb\","
                + "\"context\":{\"l\":" + list + "}},{\"channel\":\"log\",\"target\":\"ops\",\"body\":\"innocent\"}]");
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(202);
        long bomb = JSON.readTree(batch.body()).get(0).get("id").asLong();
        long innocent = JSON.readTree(batch.body()).get(1).get("id").asLong();

        await().atMost(WAIT).until(() -> status(bomb).get("status").asText().equals("dead"));
        assertThat(status(bomb).get("error").asText()).contains("templates.maxSectionIterations");
        await().atMost(WAIT).until(() -> status(innocent).get("status").asText().equals("sent"));
    }
}
