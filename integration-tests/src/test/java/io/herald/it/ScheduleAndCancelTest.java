package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Scheduled sends and cancellation through the API of a real master and worker. */
class ScheduleAndCancelTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ClusterExtension HERALD = new ClusterExtension();

    private static ClusterHarness cluster;
    private static String api;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = HERALD.cluster();
        api = ClusterHarness.api(cluster.startMasterAndWorker("schedule", "planner"));
    }

    private static JsonNode submit(String extra) throws Exception {
        HttpResponse<String> response = cluster.post(api + "/v1/messages",
                "{\"channel\":\"log\",\"target\":\"ops\",\"body\":\"later\"" + extra + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body());
    }

    private static JsonNode message(long id) throws Exception {
        return JSON.readTree(cluster.get(api + "/v1/messages/" + id).body());
    }

    @Test
    void a_scheduled_message_is_reported_scheduled_and_sent_no_earlier_than_its_send_at() throws Exception {
        Instant sendAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.MILLIS);
        JsonNode accepted = submit(",\"sendAt\":\"" + sendAt + "\"");
        long id = accepted.get("id").asLong();
        assertThat(accepted.get("status").asText()).isEqualTo("scheduled");
        assertThat(message(id).get("status").asText()).isEqualTo("scheduled");
        assertThat(message(id).get("sendAt").asText()).isEqualTo(sendAt.toString());

        await().atMost(Duration.ofSeconds(60)).until(() -> message(id).get("status").asText().equals("sent"));
        assertThat(Instant.parse(message(id).get("sentAt").asText())).isAfterOrEqualTo(sendAt);
    }

    @Test
    void a_scheduled_message_says_where_it_stands_in_its_applications_queue_and_a_sent_one_does_not() throws Exception {
        // Urgent and two days ahead: the other tests' messages are less urgent or due sooner, so only these count.
        Instant sendAt = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.MILLIS);
        long first = submit(",\"priority\":\"urgent\",\"sendAt\":\"" + sendAt + "\"").get("id").asLong();
        long second = submit(",\"priority\":\"urgent\",\"sendAt\":\"" + sendAt + "\"").get("id").asLong();

        JsonNode head = message(first);
        assertThat(head.get("status").asText()).isEqualTo("scheduled");
        assertThat(head.get("position").asLong()).isZero();
        assertThat(head.get("positionAtLeast").asBoolean()).isFalse();
        assertThat(head.get("estimatedDispatchAt").asText()).isEqualTo(sendAt.toString());
        assertThat(message(second).get("position").asLong()).isEqualTo(1);

        long sent = submit("").get("id").asLong();
        await().atMost(Duration.ofSeconds(60)).until(() -> message(sent).get("status").asText().equals("sent"));
        assertThat(message(sent).has("position")).isFalse();
        assertThat(message(sent).has("estimatedDispatchAt")).isFalse();
        cluster.delete(api + "/v1/messages/" + first);
        cluster.delete(api + "/v1/messages/" + second);
    }

    @Test
    void a_scheduled_message_is_cancelled_and_a_sent_one_is_a_409() throws Exception {
        long scheduled = submit(",\"sendAt\":\"" + Instant.now().plus(Duration.ofHours(1)) + "\"").get("id").asLong();

        HttpResponse<String> cancelled = cluster.delete(api + "/v1/messages/" + scheduled);
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
        assertThat(JSON.readTree(cancelled.body()).get("status").asText()).isEqualTo("cancelled");
        assertThat(cluster.delete(api + "/v1/messages/" + scheduled).statusCode()).isEqualTo(200);
        assertThat(message(scheduled).get("status").asText()).isEqualTo("cancelled");
        JsonNode events = JSON.readTree(cluster.get(api + "/v1/messages/" + scheduled + "/events").body()).get("events");
        assertThat(events.get(events.size() - 1).get("status").asText()).isEqualTo("cancelled");

        long sent = submit("").get("id").asLong();
        await().atMost(Duration.ofSeconds(60)).until(() -> message(sent).get("status").asText().equals("sent"));
        HttpResponse<String> tooLate = cluster.delete(api + "/v1/messages/" + sent);
        assertThat(tooLate.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(tooLate.body()).get("field").asText()).isEqualTo("id");
        assertThat(JSON.readTree(tooLate.body()).get("message").asText()).contains("is sent");
    }

    @Test
    void a_cancel_key_cancels_every_message_that_carries_it_and_no_other() throws Exception {
        String later = ",\"sendAt\":\"" + Instant.now().plus(Duration.ofHours(1)) + "\"";
        long[] keyed = new long[3];
        for (int i = 0; i < keyed.length; i++) {
            keyed[i] = submit(later + ",\"cancelKey\":\"digest-2026-12\"").get("id").asLong();
        }
        long other = submit(later + ",\"cancelKey\":\"digest-2027-01\"").get("id").asLong();

        HttpResponse<String> response = cluster.delete(api + "/v1/messages?cancelKey=digest-2026-12");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("cancelled").asInt()).isEqualTo(3);
        for (long id : keyed) {
            assertThat(message(id).get("status").asText()).isEqualTo("cancelled");
        }
        assertThat(message(other).get("status").asText()).isEqualTo("scheduled");
    }
}
