package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import io.herald.common.config.HeraldConfiguration;
import io.herald.common.testing.Rows;
import io.herald.common.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Status callbacks reach a real receiver, signed with the application's secret, and are retried with backoff. */
class CallbacksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final ClusterExtension HERALD = new ClusterExtension();

    private static TestDatabase database;
    private static WebhookReceiver hooks;
    private static CallbackReceiver callbacks;
    private static ClusterHarness cluster;
    private static String api;

    @BeforeAll
    static void startCluster() throws Exception {
        database = HERALD.database();
        hooks = new WebhookReceiver();
        cluster = HERALD.cluster()
                .set("worker.callbackBackoffBase", "100ms")
                .set("worker.callbackBackoffMax", "200ms")
                .set("worker.callbackPollInterval", "20ms")
                .set("worker.callbackMaxAttempts", "3");
        DropwizardTestSupport<HeraldConfiguration> master = cluster.startMaster("callbacks-master");
        cluster.startWorker("callbacks-worker");
        ClusterHarness.Credentials credentials = cluster.useApplication(master, "orders");
        callbacks = new CallbackReceiver(credentials.signingSecret());
        api = ClusterHarness.api(master);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        hooks.close();
        callbacks.close();
    }

    @AfterEach
    void answerOk() {
        callbacks.answer(n -> 200);
        hooks.answer((r, seen) -> WebhookReceiver.Answer.OK);
    }

    private static long submit(String subject, boolean withCallback) throws Exception {
        String json = "{\"channel\":\"webhook\",\"target\":\"" + hooks.url() + "\",\"subject\":\"" + subject + "\",\"body\":\"b\""
                + (withCallback ? ",\"callbackUrl\":\"" + callbacks.url() + "?order=" + subject + "\"" : "") + "}";
        HttpResponse<String> response = cluster.post(api + "/v1/messages", json);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).get("id").asLong();
    }

    private static List<CallbackReceiver.Request> callbacksFor(long id) {
        return callbacks.requests().stream().filter(r -> r.body().startsWith("{\"id\":" + id + ",")).toList();
    }

    @Test
    void a_sent_message_is_reported_signed_and_a_500_is_retried_with_the_same_idempotency_key() throws Exception {
        int before = callbacks.requests().size();
        callbacks.answer(n -> n == before + 1 ? 500 : 200);
        long id = submit("retry-me", true);

        await().atMost(WAIT).until(() -> callbacksFor(id).size() == 2);
        List<CallbackReceiver.Request> got = callbacksFor(id);
        assertThat(got).extracting(CallbackReceiver.Request::answered).containsExactly(500, 200);
        assertThat(got).allSatisfy(r -> {
            assertThat(r.signatureValid()).isTrue();
            assertThat(r.standardSignatureValid()).isTrue();
            assertThat(r.webhookId()).isEqualTo(r.idempotencyKey());
            assertThat(r.signature()).matches("sha256=[0-9a-f]{64}");
            assertThat(Instant.ofEpochSecond(Long.parseLong(r.timestamp()))).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(5));
        });
        assertThat(got.get(0).idempotencyKey()).startsWith("herald-callback-").isEqualTo(got.get(1).idempotencyKey());

        JsonNode payload = JSON.readTree(got.get(1).body());
        JsonNode message = JSON.readTree(cluster.get(api + "/v1/messages/" + id).body());
        assertThat(payload.get("id").asLong()).isEqualTo(id);
        assertThat(payload.get("application").asText()).isEqualTo("orders");
        assertThat(payload.get("status").asText()).isEqualTo("sent");
        assertThat(payload.get("attempts").asInt()).isEqualTo(1);
        assertThat(payload.get("error").isNull()).isTrue();
        assertThat(payload.get("createdAt").asText()).isEqualTo(message.get("createdAt").asText());
        assertThat(payload.get("sentAt").asText()).isEqualTo(payload.get("finishedAt").asText());
        await().atMost(WAIT).until(() -> Rows.count(database.database(), "SELECT COUNT(*) FROM callback WHERE message_id = " + id
                + " AND state = 'delivered' AND attempts = 2 AND delivered_at IS NOT NULL") == 1);
        JsonNode events = JSON.readTree(cluster.get(api + "/v1/messages/" + id + "/events").body()).get("events");
        assertThat(events).extracting(e -> e.get("reason").asText()).anySatisfy(r -> assertThat(r).startsWith("callback attempt 1 failed, retry in"))
                .anySatisfy(r -> assertThat(r).isEqualTo("callback to " + callbacks.url() + "?order=retry-me delivered (attempt 2)"));
    }

    @Test
    void a_dead_letter_is_reported_with_its_error() throws Exception {
        hooks.answer((r, seen) -> r.payload().get("subject").asText().equals("gone") ? new WebhookReceiver.Answer(422, null) : WebhookReceiver.Answer.OK);
        long id = submit("gone", true);

        await().atMost(WAIT).until(() -> callbacksFor(id).size() == 1);
        JsonNode payload = JSON.readTree(callbacksFor(id).get(0).body());
        assertThat(payload.get("status").asText()).isEqualTo("dead");
        assertThat(payload.get("error").asText()).isEqualTo("webhook answered HTTP 422");
        assertThat(payload.get("sentAt").isNull()).isTrue();
    }

    @Test
    void a_callback_that_keeps_failing_is_given_up_after_its_attempts_and_a_message_without_url_gets_none() throws Exception {
        callbacks.answer(n -> 503);
        long id = submit("unlucky", true);
        long quiet = submit("quiet", false);

        await().atMost(WAIT).until(() -> Rows.count(database.database(), "SELECT COUNT(*) FROM callback WHERE message_id = " + id
                + " AND state = 'failed' AND attempts = 3 AND last_error = 'webhook answered HTTP 503'") == 1);
        assertThat(callbacksFor(id)).hasSize(3);
        await().atMost(WAIT).until(() -> JSON.readTree(cluster.get(api + "/v1/messages/" + quiet).body()).get("status").asText().equals("sent"));
        assertThat(Rows.count(database.database(), "SELECT COUNT(*) FROM callback WHERE message_id = " + quiet)).isZero();
        JsonNode events = JSON.readTree(cluster.get(api + "/v1/messages/" + id + "/events").body()).get("events");
        assertThat(events.get(events.size() - 1).get("reason").asText())
                .isEqualTo("callback failed for good after 3 attempt(s): webhook answered HTTP 503");
    }
}
