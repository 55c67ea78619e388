package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.dropwizard.testing.DropwizardTestSupport;
import io.herald.common.config.HeraldConfiguration;
import io.herald.common.testing.Rows;
import io.herald.common.testing.TestDatabase;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One master and one worker, with real SMTP (GreenMail) and a real webhook receiver. */
class EndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

    @RegisterExtension
    static final ClusterExtension HERALD = new ClusterExtension();

    private static TestDatabase database;
    private static WebhookReceiver receiver;
    private static ClusterHarness cluster;
    private static String api;
    private static String admin;
    private static ClusterHarness.Credentials other;
    private static ClusterHarness.Credentials deadLetterApp;

    @BeforeAll
    static void startCluster() throws Exception {
        database = HERALD.database();
        receiver = new WebhookReceiver();
        cluster = HERALD.cluster()
                .set("smtp.port", String.valueOf(SMTP.getSmtp().getPort()))
                .set("smtp.from", "herald@example.org")
                .set("retention.interval", "1s");
        DropwizardTestSupport<HeraldConfiguration> master = cluster.startMaster("e2e-master");
        cluster.useApplication(master, "billing");
        other = cluster.createApplication(master, "app-other");
        deadLetterApp = cluster.createApplication(master, "dl-app");
        cluster.startWorker("e2e-worker");
        api = ClusterHarness.api(master);
        admin = ClusterHarness.admin(master);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        receiver.close();
    }

    private static long submit(String json) throws Exception {
        HttpResponse<String> response = cluster.post(api + "/v1/messages", json);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        long id = JSON.readTree(response.body()).get("id").asLong();
        assertThat(response.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/v1/messages/" + id));
        return id;
    }

    private static JsonNode status(long id) throws Exception {
        return JSON.readTree(cluster.get(api + "/v1/messages/" + id).body());
    }

    private static void awaitStatus(long id, String expected) {
        await().atMost(WAIT).until(() -> status(id).get("status").asText().equals(expected));
    }

    @Test
    void an_email_reaches_the_smtp_server_exactly_once_with_a_stable_message_id() throws Exception {
        long id = submit("""
                {"application":"billing","channel":"email","target":"alice@example.org",
                 "subject":"Invoice ready","body":"Your invoice is ready.","priority":"high"}""");
        awaitStatus(id, "sent");

        List<MimeMessage> mine = Mails.forMessage(SMTP, id);
        assertThat(mine).hasSize(1);
        MimeMessage mail = mine.get(0);
        assertThat(mail.getSubject()).isEqualTo("Invoice ready");
        assertThat(Mails.header(mail, "Message-ID")).isEqualTo("<herald-" + id + "@example.org>");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("herald@example.org");
        assertThat(String.valueOf(mail.getContent()).trim()).isEqualTo("Your invoice is ready.");
        JsonNode view = status(id);
        assertThat(view.get("attempts").asInt()).isEqualTo(1);
        assertThat(view.get("ambiguousAttempts").asInt()).isZero();
        assertThat(view.get("sentAt").isNull()).isFalse();
        assertThat(view.get("error").isNull()).isTrue();
    }

    @Test
    void a_webhook_reaches_the_receiver_exactly_once_with_its_idempotency_key_and_payload() throws Exception {
        long id = submit("""
                {"channel":"webhook","target":"%s","subject":"Deployed","body":"v42 is live"}"""
                .formatted(receiver.url()));
        awaitStatus(id, "sent");

        List<WebhookReceiver.Received> mine = receiver.accepted().stream().filter(r -> r.messageId() == id).toList();
        assertThat(mine).hasSize(1);
        WebhookReceiver.Received hook = mine.get(0);
        assertThat(hook.idempotencyKey()).isEqualTo("herald-" + id);
        JsonNode payload = hook.payload();
        assertThat(payload.get("id").asLong()).isEqualTo(id);
        assertThat(payload.get("application").asText()).isEqualTo("billing");
        assertThat(payload.get("channel").asText()).isEqualTo("webhook");
        assertThat(payload.get("target").asText()).isEqualTo(receiver.url());
        assertThat(payload.get("subject").asText()).isEqualTo("Deployed");
        assertThat(payload.get("body").asText()).isEqualTo("v42 is live");
        assertThat(payload.get("priority").asText()).isEqualTo("medium");
        assertThat(payload.get("createdAt").asText()).isEqualTo(status(id).get("createdAt").asText());
    }

    @Test
    void the_same_idempotency_key_returns_the_first_message_and_stores_nothing_new() throws Exception {
        String body = """
                {"channel":"log","target":"ops","body":"once","idempotencyKey":"order-77"}""";
        long first = submit(body);
        long before = Rows.count(database.database(), "SELECT COUNT(*) FROM message");
        long second = submit(body);
        HttpResponse<String> batch = cluster.post(api + "/v1/messages/batch", "[" + body + "," + body.replace("order-77", "order-78")
                + "," + body.replace("order-77", "order-78") + "]");

        assertThat(second).isEqualTo(first);
        JsonNode results = JSON.readTree(batch.body());
        assertThat(batch.statusCode()).isEqualTo(202);
        assertThat(results.get(0).get("id").asLong()).isEqualTo(first);
        assertThat(results.get(0).get("duplicate").asBoolean()).isTrue();
        assertThat(results.get(1).get("duplicate").asBoolean()).isFalse();
        assertThat(results.get(2).get("id").asLong()).isEqualTo(results.get(1).get("id").asLong());
        assertThat(Rows.count(database.database(), "SELECT COUNT(*) FROM message")).isEqualTo(before + 1);
        // Another application may use the same key for its own message.
        HttpResponse<String> theirs = cluster.post(api + "/v1/messages", body, other.apiKey());
        assertThat(theirs.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(theirs.body()).get("id").asLong()).isNotEqualTo(first);
        assertThat(JSON.readTree(theirs.body()).get("duplicate").asBoolean()).isFalse();
    }

    @Test
    void a_transient_failure_is_retried_and_429_waits_for_retry_after() throws Exception {
        receiver.answer((r, seen) -> {
            String subject = r.payload().get("subject").asText();
            if (subject.equals("flaky") && seen == 1) {
                return new WebhookReceiver.Answer(503, null);
            }
            if (subject.equals("throttled") && seen == 1) {
                return new WebhookReceiver.Answer(429, "1");
            }
            return WebhookReceiver.Answer.OK;
        });
        long flaky = submit(webhook("flaky"));
        long throttled = submit(webhook("throttled"));
        awaitStatus(flaky, "sent");
        awaitStatus(throttled, "sent");

        assertThat(status(flaky).get("attempts").asInt()).isEqualTo(2);
        assertThat(status(throttled).get("attempts").asInt()).isEqualTo(2);
        assertThat(receiver.accepted().stream().filter(r -> r.messageId() == flaky)).hasSize(1);
        // Retry-After: 1 pushed the second attempt at least a second past the first.
        assertThat(Rows.count(database.database(), "SELECT TIMESTAMPDIFF(MICROSECOND, created_at, sent_at) FROM message WHERE id = " + throttled))
                .isGreaterThanOrEqualTo(1_000_000);
        JsonNode events = JSON.readTree(cluster.get(api + "/v1/messages/" + flaky + "/events").body());
        assertThat(events.get("id").asLong()).isEqualTo(flaky);
        assertThat(events.get("events")).extracting(e -> e.get("status").asText() + "@" + e.get("node").asText())
                .containsExactly("queued@e2e-master", "dispatched@e2e-master", "sending@e2e-worker", "queued@e2e-worker",
                        "dispatched@e2e-master", "sending@e2e-worker", "sent@e2e-worker");
        assertThat(events.get("events").get(3).get("reason").asText()).startsWith("attempt 1 failed, retry in").endsWith("HTTP 503");
        assertThat(java.time.Instant.parse(events.get("events").get(6).get("at").asText()))
                .isAfterOrEqualTo(java.time.Instant.parse(events.get("events").get(0).get("at").asText()));
        receiver.answer((r, seen) -> WebhookReceiver.Answer.OK);
    }

    @Test
    void a_permanent_failure_is_dead_lettered_at_once_with_its_error_and_can_be_requeued() throws Exception {
        receiver.answer((r, seen) -> r.payload().get("subject").asText().equals("gone") && seen == 1
                ? new WebhookReceiver.Answer(422, null) : WebhookReceiver.Answer.OK);
        long id = submit(webhook("gone"));
        awaitStatus(id, "dead");
        JsonNode dead = status(id);
        assertThat(dead.get("attempts").asInt()).isEqualTo(1);
        assertThat(dead.get("error").asText()).isEqualTo("webhook answered HTTP 422");
        JsonNode listed = JSON.readTree(cluster.get(api + "/v1/dead-letters").body()).get("deadLetters");
        assertThat(listed).anySatisfy(d -> {
            assertThat(d.get("id").asLong()).isEqualTo(id);
            assertThat(d.get("error").asText()).isEqualTo("webhook answered HTTP 422");
        });

        HttpResponse<String> requeue = cluster.post(admin + "/tasks/requeue?id=" + id, "");
        assertThat(requeue.statusCode()).isEqualTo(200);
        assertThat(requeue.body()).contains("requeued 1 message(s)");
        awaitStatus(id, "sent");
        assertThat(status(id).get("attempts").asInt()).isEqualTo(2);
        receiver.answer((r, seen) -> WebhookReceiver.Answer.OK);
    }

    @Test
    void dead_letters_are_listed_counted_requeued_and_purged_through_the_api_within_the_callers_application()
            throws Exception {
        receiver.answer((r, seen) -> r.payload().get("subject").asText().startsWith("refused")
                ? new WebhookReceiver.Answer(422, null) : WebhookReceiver.Answer.OK);
        String key = deadLetterApp.apiKey();
        List<Long> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = cluster.post(api + "/v1/messages", webhook("refused-" + i), key);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            ids.add(JSON.readTree(response.body()).get("id").asLong());
        }
        for (long id : ids) {
            await().atMost(WAIT).until(() -> statusOf(id, key).equals("dead"));
        }

        JsonNode first = JSON.readTree(cluster.get(api + "/v1/dead-letters?limit=3", key).body());
        assertThat(first.get("deadLetters")).hasSize(3);
        JsonNode second = JSON.readTree(cluster.get(api + "/v1/dead-letters?application=dl-app&limit=3&cursor="
                + first.get("nextCursor").asText(), key).body());
        assertThat(second.get("deadLetters")).hasSize(2);
        assertThat(second.get("nextCursor").isNull()).isTrue();
        assertThat(second.get("deadLetters").get(1).get("error").asText()).isEqualTo("webhook answered HTTP 422");
        assertThat(JSON.readTree(cluster.get(api + "/v1/dead-letters?olderThan=1h", key).body()).get("deadLetters")).isEmpty();
        await().atMost(WAIT).until(() -> cluster.get(admin + "/prometheus").body().lines()
                .anyMatch(l -> l.matches("herald_dead_letters_count(\\{.*\\})? [1-9].*")));

        // Another application sees none of them and changes none of them, even by id.
        String theirs = other.apiKey();
        assertThat(JSON.readTree(cluster.get(api + "/v1/dead-letters", theirs).body()).get("deadLetters")).isEmpty();
        assertThat(cluster.get(api + "/v1/dead-letters?application=dl-app", theirs).statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(cluster.post(api + "/v1/dead-letters/requeue?id=" + ids.get(0), "", theirs).body())
                .get("requeued").asInt()).isZero();
        assertThat(cluster.get(api + "/v1/messages/" + ids.get(0) + "/events", theirs).statusCode()).isEqualTo(404);
        assertThat(cluster.get(api + "/v1/dead-letters", null).statusCode()).isEqualTo(401);

        receiver.answer((r, seen) -> WebhookReceiver.Answer.OK);
        HttpResponse<String> requeued = cluster.post(api + "/v1/dead-letters/requeue?id=" + ids.get(0) + "&id=" + ids.get(1), "", key);
        assertThat(requeued.statusCode()).as(requeued.body()).isEqualTo(200);
        assertThat(JSON.readTree(requeued.body()).get("requeued").asInt()).isEqualTo(2);
        await().atMost(WAIT).until(() -> statusOf(ids.get(0), key).equals("sent") && statusOf(ids.get(1), key).equals("sent"));

        HttpResponse<String> purged = cluster.delete(api + "/v1/dead-letters?olderThan=0s", key);
        assertThat(JSON.readTree(purged.body()).get("purged").asInt()).isEqualTo(3);
        assertThat(statusOf(ids.get(4), key)).isEqualTo("purged");
        assertThat(JSON.readTree(cluster.get(api + "/v1/dead-letters", key).body()).get("deadLetters")).isEmpty();
        JsonNode events = JSON.readTree(cluster.get(api + "/v1/messages/" + ids.get(4) + "/events", key).body()).get("events");
        assertThat(events).extracting(e -> e.get("status").asText())
                .containsExactly("queued", "dispatched", "sending", "dead", "purged");
        assertThat(events.get(4).get("reason").asText()).isEqualTo("dead letter purged through the API");

        assertThat(cluster.post(admin + "/tasks/dead-letters-purge?olderThan=soon", "").body())
                .isEqualTo("error: olderThan: must be a duration such as 500ms, 30s, 10m, 2h or 7d, not 'soon'\n");
        assertThat(cluster.post(admin + "/tasks/dead-letters-requeue", "").statusCode()).isEqualTo(400);
        HttpResponse<String> byTask = cluster.post(admin + "/tasks/dead-letters-requeue?application=dl-app", "");
        assertThat(byTask.statusCode()).isEqualTo(200);
        assertThat(byTask.body()).isEqualTo("requeued 0 dead letter(s)\n");
    }

    private static String statusOf(long id, String key) throws Exception {
        return JSON.readTree(cluster.get(api + "/v1/messages/" + id, key).body()).get("status").asText();
    }

    @Test
    void the_leader_deletes_old_sent_messages_on_its_retention_schedule() throws Exception {
        long old = submit("""
                {"channel":"log","target":"ops","body":"from long ago"}""");
        long young = submit("""
                {"channel":"log","target":"ops","body":"from today"}""");
        awaitStatus(old, "sent");
        awaitStatus(young, "sent");
        database.database().withConnection(c -> c.createStatement().executeUpdate("UPDATE message SET"
                + " created_at = TIMESTAMPADD(DAY, -31, NOW(3)), updated_at = TIMESTAMPADD(DAY, -31, NOW(3)) WHERE id = " + old));

        await().atMost(WAIT).until(() -> Rows.count(database.database(), "SELECT COUNT(*) FROM message WHERE id = " + old) == 0);
        assertThat(cluster.get(api + "/v1/messages/" + old).statusCode()).isEqualTo(404);
        assertThat(Rows.count(database.database(), "SELECT COUNT(*) FROM message_event WHERE message_id = " + old)).isZero();
        assertThat(status(young).get("status").asText()).isEqualTo("sent");
    }

    @Test
    void the_admin_port_serves_health_metrics_and_prometheus() throws Exception {
        JsonNode health = JSON.readTree(cluster.get(admin + "/healthcheck").body());
        assertThat(health.get("role").get("message").asText()).isEqualTo("leader");
        assertThat(health.get("zookeeper").get("healthy").asBoolean()).isTrue();
        assertThat(health.get("database").get("healthy").asBoolean()).isTrue();
        String prometheus = cluster.get(admin + "/prometheus").body();
        assertThat(prometheus).contains("herald_master_messages_dispatched_total", "herald_dispatch_lag_seconds_bucket");
        assertThat(cluster.post(admin + "/tasks/requeue?status=sent", "").statusCode()).isEqualTo(400);
        assertThat(cluster.post(admin + "/tasks/requeue?bogus=1", "").body()).isEqualTo("error: unknown parameter 'bogus'; allowed: id, status\n");
        assertThat(cluster.post(admin + "/tasks/requeue?status=failed", "").body()).contains("status=dead");
    }

    private String webhook(String subject) {
        return """
                {"channel":"webhook","target":"%s","subject":"%s","body":"b"}"""
                .formatted(receiver.url(), subject);
    }
}
