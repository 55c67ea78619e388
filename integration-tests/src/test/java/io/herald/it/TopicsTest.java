package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import io.herald.common.config.HeraldConfiguration;
import io.herald.common.testing.Rows;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Topics through the API of a real master: subscribers in bulk, a message that fans out, its progress, opt-outs per subscriber. */
class TopicsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ClusterExtension HERALD = new ClusterExtension();

    private static ClusterHarness cluster;
    private static String api;
    private static DropwizardTestSupport<HeraldConfiguration> master;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = HERALD.cluster();
        master = cluster.startMaster("topics-master");
        cluster.useApplication(master, "newsroom");
        cluster.startWorker("topics-worker");
        api = ClusterHarness.api(master);
    }

    private static HttpResponse<String> put(String path, String body) throws Exception {
        return cluster.put(api + path, body);
    }

    private static JsonNode ok(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private static String field(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).get("field").asText();
    }

    private static String lines(String topic, int n) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < n; i++) {
            lines.append("{\"channel\":\"log\",\"target\":\"").append(topic).append("-").append(i).append("\"}\n");
        }
        return lines.toString();
    }

    @Test
    void a_topic_is_created_updated_read_and_deleted_and_bad_names_are_400() throws Exception {
        assertThat(ok(put("/v1/topics/releases", ""), 201).get("subscribers").asLong()).isZero();
        JsonNode updated = ok(put("/v1/topics/releases", "{\"description\":\"Release notes\"}"), 200);
        assertThat(updated.get("description").asText()).isEqualTo("Release notes");
        assertThat(ok(cluster.get(api + "/v1/topics/releases"), 200).get("name").asText()).isEqualTo("releases");

        assertThat(field(put("/v1/topics/-bad", ""))).isEqualTo("name");
        assertThat(field(put("/v1/topics/releases", "{\"title\":\"x\"}"))).isEqualTo("title");
        HttpResponse<String> missing = cluster.get(api + "/v1/topics/nothing-here");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(field(missing)).isEqualTo("name");

        ok(cluster.post(api + "/v1/topics/releases/subscribers", lines("releases", 3)), 200);
        JsonNode deleted = ok(cluster.delete(api + "/v1/topics/releases"), 200);
        assertThat(deleted.get("subscribersRemoved").asLong()).isEqualTo(3);
        assertThat(cluster.get(api + "/v1/topics/releases").statusCode()).isEqualTo(404);
    }

    @Test
    void subscribers_are_added_and_removed_in_bulk_as_lines_or_an_array_and_listed_in_pages() throws Exception {
        ok(put("/v1/topics/readers", ""), 201);
        JsonNode added = ok(cluster.post(api + "/v1/topics/readers/subscribers", lines("reader", 1_200)), 200);
        assertThat(added.get("added").asLong()).isEqualTo(1_200);
        JsonNode again = ok(cluster.post(api + "/v1/topics/readers/subscribers",
                "[{\"channel\":\"log\",\"target\":\"reader-0\"},{\"channel\":\"email\",\"target\":\"ana@example.org\",\"recipient\":\"user-1\"}]"), 200);
        assertThat(again.get("read").asLong()).isEqualTo(2);
        assertThat(again.get("added").asLong()).as("reader-0 was there already").isEqualTo(1);
        assertThat(again.get("subscribers").asLong()).isEqualTo(1_201);

        int seen = 0;
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = ok(cluster.get(api + "/v1/topics/readers/subscribers?limit=500" + (cursor == null ? "" : "&cursor=" + cursor)), 200);
            seen += page.get("subscribers").size();
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (cursor != null);
        assertThat(seen).isEqualTo(1_201);
        assertThat(pages).isEqualTo(3);

        JsonNode removed = ok(cluster.post(api + "/v1/topics/readers/subscribers/remove", lines("reader", 2)), 200);
        assertThat(removed.get("removed").asLong()).isEqualTo(2);
        assertThat(removed.get("subscribers").asLong()).isEqualTo(1_199);

        HttpResponse<String> bad = cluster.post(api + "/v1/topics/readers/subscribers",
                "{\"channel\":\"log\",\"target\":\"fine\"}\n{\"channel\":\"email\",\"target\":\"not an address\"}\n");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(field(bad)).isEqualTo("line 2.target");
        assertThat(cluster.post(api + "/v1/topics/readers/subscribers/remove", "[{\"channel\":\"log\"}]").statusCode()).isEqualTo(400);
        assertThat(cluster.post(api + "/v1/topics/nobody/subscribers", lines("x", 1)).statusCode()).isEqualTo(404);
        assertThat(field(cluster.get(api + "/v1/topics/readers/subscribers?cursor=abc"))).isEqualTo("cursor");
        assertThat(field(cluster.get(api + "/v1/topics/readers/subscribers?limit=0"))).isEqualTo("limit");
    }

    @Test
    void a_message_to_a_topic_fans_out_once_per_subscriber_with_their_opt_outs_and_one_idempotency_key() throws Exception {
        ok(put("/v1/topics/daily", ""), 201);
        ok(cluster.post(api + "/v1/topics/daily/subscribers", lines("daily", 299) + "{\"channel\":\"log\",\"target\":\"quiet\",\"recipient\":\"user-9\"}\n"), 200);
        ok(put("/v1/recipients/preferences?recipient=user-9", "{\"optOut\":{\"categories\":[\"digest\"]}}"), 200);
        String message = "{\"channel\":\"log\",\"topic\":\"daily\",\"body\":\"today\",\"category\":\"digest\",\"idempotencyKey\":\"daily-1\"}";

        HttpResponse<String> accepted = cluster.post(api + "/v1/messages", message);
        JsonNode fanout = ok(accepted, 202);
        long id = fanout.get("fanoutId").asLong();
        assertThat(fanout.get("total").asLong()).isEqualTo(300);
        assertThat(accepted.headers().firstValue("Location").orElseThrow()).endsWith("/v1/fanouts/" + id);
        JsonNode repeated = ok(cluster.post(api + "/v1/messages", message), 202);
        assertThat(repeated.get("fanoutId").asLong()).isEqualTo(id);
        assertThat(repeated.get("duplicate").asBoolean()).isTrue();

        await().atMost(Duration.ofSeconds(60)).until(() ->
                JSON.readTree(cluster.get(api + "/v1/fanouts/" + id).body()).get("state").asText().equals("done"));
        JsonNode done = ok(cluster.get(api + "/v1/fanouts/" + id), 200);
        assertThat(done.get("total").asLong()).isEqualTo(300);
        assertThat(done.get("created").asLong()).isEqualTo(300);
        assertThat(done.get("sent").asLong()).isEqualTo(299);
        assertThat(done.get("suppressed").asLong()).isEqualTo(1);
        assertThat(done.get("dead").asLong()).isZero();
        assertThat(Rows.count(HERALD.database().database(), "SELECT COUNT(DISTINCT target) FROM message WHERE body = 'today'")).isEqualTo(300);
        assertThat(Rows.count(HERALD.database().database(), "SELECT COUNT(*) FROM message WHERE body = 'today'")).isEqualTo(300);
        assertThat(cluster.get(api + "/v1/fanouts/" + (id + 1000)).statusCode()).isEqualTo(404);
        assertThat(cluster.get(api + "/v1/fanouts/x1").statusCode()).isEqualTo(404);
    }

    @Test
    void a_message_with_both_or_neither_of_target_and_topic_or_an_unknown_topic_is_400_naming_the_field() throws Exception {
        assertThat(field(cluster.post(api + "/v1/messages", "{\"channel\":\"log\",\"target\":\"ops\",\"topic\":\"daily\",\"body\":\"b\"}")))
                .isEqualTo("topic");
        assertThat(field(cluster.post(api + "/v1/messages", "{\"channel\":\"log\",\"body\":\"b\"}"))).isEqualTo("target");
        HttpResponse<String> unknown = cluster.post(api + "/v1/messages", "{\"channel\":\"log\",\"topic\":\"no-such-topic\",\"body\":\"b\"}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(field(unknown)).isEqualTo("topic");
        assertThat(field(cluster.post(api + "/v1/messages/batch", "[{\"channel\":\"log\",\"topic\":\"daily\",\"body\":\"b\"}]")))
                .isEqualTo("[0].topic");
    }

    @Test
    void a_fan_out_is_cancelled_with_its_messages_and_another_applications_or_an_unknown_one_is_404() throws Exception {
        ok(put("/v1/topics/weekly", ""), 201);
        ok(cluster.post(api + "/v1/topics/weekly/subscribers", lines("weekly", 3_000)), 200);
        String sendAt = java.time.Instant.now().plus(Duration.ofHours(1)).toString();
        long id = ok(cluster.post(api + "/v1/messages", "{\"channel\":\"log\",\"topic\":\"weekly\",\"body\":\"weekly-1\","
                + "\"sendAt\":\"" + sendAt + "\"}"), 202).get("fanoutId").asLong();

        JsonNode cancelled = ok(cluster.delete(api + "/v1/fanouts/" + id), 200);

        assertThat(cancelled.get("state").asText()).isEqualTo("cancelled");
        long created = cancelled.get("created").asLong();
        assertThat(cancelled.get("cancelled").asLong()).as("every message was scheduled").isEqualTo(created);
        assertThat(cancelled.get("notCancelled").asLong()).isZero();
        JsonNode view = ok(cluster.get(api + "/v1/fanouts/" + id), 200);
        assertThat(view.get("state").asText()).isEqualTo("cancelled");
        assertThat(view.get("total").asLong()).isEqualTo(created);
        assertThat(view.get("cancelled").asLong()).isEqualTo(created);
        assertThat(Rows.count(HERALD.database().database(), "SELECT COUNT(*) FROM message WHERE body = 'weekly-1'")).isEqualTo(created);
        assertThat(Rows.count(HERALD.database().database(), "SELECT COUNT(*) FROM message WHERE body = 'weekly-1' AND status = 'cancelled'"))
                .isEqualTo(created);

        HttpResponse<String> unknown = cluster.delete(api + "/v1/fanouts/" + (id + 1000));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(field(unknown)).isEqualTo("id");
        assertThat(field(cluster.delete(api + "/v1/fanouts/x1"))).isEqualTo("id");
        String otherKey = cluster.createApplication(master, "other-newsroom").apiKey();
        HttpResponse<String> foreign = cluster.delete(api + "/v1/fanouts/" + id, otherKey);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(field(foreign)).isEqualTo("id");
    }
}
