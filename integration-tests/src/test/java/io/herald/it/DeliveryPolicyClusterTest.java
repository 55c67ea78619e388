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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The delivery policy on a real cluster: two masters, one worker, ZooKeeper, MariaDB, a webhook
 * receiver and an SMTP server. Settings go through the admin tasks, as an operator would set them.
 */
class DeliveryPolicyClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

    @RegisterExtension
    static final ClusterExtension HERALD = new ClusterExtension();

    private static TestDatabase database;
    private static WebhookReceiver receiver;
    private static ClusterHarness cluster;
    private static final Map<String, DropwizardTestSupport<HeraldConfiguration>> masters = new HashMap<>();
    private static String api;
    private static final Map<String, String> keys = new HashMap<>();

    @BeforeAll
    static void startCluster() throws Exception {
        database = HERALD.database();
        receiver = new WebhookReceiver();
        cluster = HERALD.cluster()
                .set("smtp.port", String.valueOf(SMTP.getSmtp().getPort()))
                .set("smtp.from", "herald@example.org");
        masters.put("policy-master-a", cluster.startMaster("policy-master-a"));
        masters.put("policy-master-b", cluster.startMaster("policy-master-b"));
        cluster.startWorker("policy-worker");
        api = ClusterHarness.api(masters.get("policy-master-a"));
        for (String application : List.of("alerts", "fragile")) {
            keys.put(application, cluster.createApplication(masters.get("policy-master-a"), application).apiKey());
        }
        HttpResponse<String> noisy = cluster.post(ClusterHarness.admin(masters.get("policy-master-a"))
                + "/tasks/app-create?name=noisy&ownerEmail=owner@example.org", "", null);
        keys.put("noisy", noisy.body().split("\n")[0]);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        receiver.close();
    }

    @Test
    void past_the_threshold_one_digest_per_window_is_sent_once_across_a_leader_change() throws Exception {
        String target = receiver.url() + "?digests";
        task("app-digest?application=alerts&enabled=true&threshold=2&window=5s");
        List<Long> ids = submitBatch("alerts", 7, i -> """
                {"application":"alerts","channel":"webhook","target":"%s","subject":"disk %d","body":"disk %d is full"}"""
                .formatted(target, i, i));
        // Two go out at once; the other five are held for the window's digest.
        await().atMost(WAIT).until(() -> statuses("alerts", ids).getOrDefault("digested", 0) == 5 && accepted(ids).size() == 2);

        String leader = leader();
        assertThat(cluster.post(ClusterHarness.admin(masters.get(leader)) + "/tasks/step-down", "").body()).contains("is stepping down");
        await().atMost(WAIT).until(() -> statuses("alerts", ids).getOrDefault("sent", 0) == 7);

        List<WebhookReceiver.Received> digests = receiver.accepted().stream().filter(r -> r.payload().has("digest")).toList();
        assertThat(digests).hasSize(1);
        WebhookReceiver.Received digest = digests.get(0);
        JsonNode listed = digest.payload().get("digest").get("messages");
        Set<Long> listedIds = StreamSupport.stream(listed.spliterator(), false).map(n -> n.get("id").asLong()).collect(Collectors.toSet());
        assertThat(digest.payload().get("digest").get("count").asInt()).isEqualTo(5);
        assertThat(digest.payload().get("subject").asText()).isEqualTo("5 messages from alerts");
        assertThat(digest.idempotencyKey()).isEqualTo("herald-" + digest.messageId());
        assertThat(receiver.attempts("herald-" + digest.messageId())).as("sent once").isEqualTo(1);
        assertThat(listedIds).hasSize(5).doesNotContainAnyElementsOf(accepted(ids));
        assertThat(ids).containsAll(listedIds);
        for (long id : listedIds) {
            JsonNode view = view("alerts", id);
            assertThat(view.get("status").asText()).isEqualTo("sent");
            assertThat(view.get("digestId").asLong()).isEqualTo(digest.messageId());
        }
        assertThat(leader()).as("the new leader dispatched the digest").isNotEqualTo(leader);
        assertThat(Rows.count(database.database(), "SELECT dispatch_token FROM message WHERE id = " + digest.messageId()))
                .isGreaterThan(Rows.count(database.database(), "SELECT MIN(dispatch_token) FROM message WHERE id IN ("
                        + ids.stream().map(String::valueOf).collect(Collectors.joining(",")) + ")"));
    }

    @Test
    void a_webhook_that_fails_for_good_arrives_by_email_through_the_fallback() throws Exception {
        task("app-fallback?application=fragile&channel=email&target=ops@example.org");
        receiver.answer((r, seen) -> r.payload().path("subject").asText().equals("fall back")
                ? new WebhookReceiver.Answer(422, null) : WebhookReceiver.Answer.OK);
        long id = submitBatch("fragile", 1, i -> """
                {"application":"fragile","channel":"webhook","target":"%s","subject":"fall back","body":"deploy 7 failed"}"""
                .formatted(receiver.url())).get(0);

        await().atMost(WAIT).until(() -> view("fragile", id).get("status").asText().equals("sent"));

        List<MimeMessage> mails = Arrays.stream(SMTP.getReceivedMessages()).filter(m -> Mails.header(m, "X-Herald-Message-Id").equals(String.valueOf(id))).toList();
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).getAllRecipients()[0].toString()).isEqualTo("ops@example.org");
        assertThat(mails.get(0).getSubject()).isEqualTo("fall back");
        JsonNode events = JSON.readTree(cluster.get(api + "/v1/messages/" + id + "/events", keys.get("fragile")).body());
        assertThat(events.toString()).contains("attempt 1 failed for good: webhook answered HTTP 422; fallback: queued on email to ops@example.org");
        receiver.answer((r, seen) -> WebhookReceiver.Answer.OK);
    }

    @Test
    void quotas_warn_the_owner_by_email_and_reject_past_the_hard_limit() throws Exception {
        task("app-quota?application=noisy&soft=1&hard=3&window=1m");
        List<Long> ids = submitBatch("noisy", 5, i -> """
                {"application":"noisy","channel":"log","target":"ops","body":"event %d"}""".formatted(i));

        await().atMost(WAIT).until(() -> statuses("noisy", ids).getOrDefault("sent", 0) == 3
                && statuses("noisy", ids).getOrDefault("rejected", 0) == 2);
        await().atMost(WAIT).until(() -> Arrays.stream(SMTP.getReceivedMessages())
                .anyMatch(m -> Mails.header(m, "Subject").equals("Herald: application 'noisy' is over its soft quota")
                        && Mails.header(m, "To").equals("owner@example.org")));

        JsonNode rejected = ids.stream().map(id -> view("noisy", id)).filter(v -> v.get("status").asText().equals("rejected"))
                .findFirst().orElseThrow();
        assertThat(rejected.get("error").asText()).isEqualTo("rejected: application 'noisy' is over its hard quota of 3 message(s) per 60000 ms");
    }

    private static void task(String call) throws Exception {
        HttpResponse<String> response = cluster.post(ClusterHarness.admin(masters.get("policy-master-b")) + "/tasks/" + call, "");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static List<Long> submitBatch(String application, int n, java.util.function.IntFunction<String> item) throws Exception {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(item.apply(i));
        }
        HttpResponse<String> response = cluster.post(api + "/v1/messages/batch", "[" + String.join(",", items) + "]", keys.get(application));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        List<Long> ids = new ArrayList<>();
        JSON.readTree(response.body()).forEach(r -> ids.add(r.get("id").asLong()));
        return ids;
    }

    private static Set<Long> accepted(List<Long> ids) {
        return receiver.accepted().stream().map(WebhookReceiver.Received::messageId).filter(ids::contains).collect(Collectors.toSet());
    }

    private static Map<String, Integer> statuses(String application, List<Long> ids) {
        Map<String, Integer> counts = new HashMap<>();
        ids.forEach(id -> counts.merge(view(application, id).get("status").asText(), 1, Integer::sum));
        return counts;
    }

    private static JsonNode view(String application, long id) {
        try {
            return JSON.readTree(cluster.get(api + "/v1/messages/" + id, keys.get(application)).body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String leader() throws Exception {
        String key = keys.get("alerts");
        await().atMost(WAIT).until(() -> !JSON.readTree(cluster.get(api + "/v1/cluster", key).body()).path("leader").isNull());
        return JSON.readTree(cluster.get(api + "/v1/cluster", key).body()).get("leader").asText();
    }

}
