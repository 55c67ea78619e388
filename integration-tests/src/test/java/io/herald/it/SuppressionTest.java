package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import io.herald.common.config.HeraldConfiguration;
import io.herald.common.testing.Rows;
import io.herald.common.testing.TestDatabase;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The suppression list through a real master and worker: an SMTP server that says a mailbox does not exist
 * (550 5.1.1 at RCPT TO) and a webhook that answers 410 put their targets on it; later messages to them end
 * suppressed, critical ones too; the API lists, adds (with an expiry) and removes entries.
 */
class SuppressionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GONE = "gone@example.org";

    @RegisterExtension
    static final ClusterExtension HERALD = new ClusterExtension();

    private static RefusingSmtp smtp;
    private static WebhookReceiver webhook;
    private static ClusterHarness cluster;
    private static TestDatabase database;
    private static String api;

    @BeforeAll
    static void startCluster() throws Exception {
        smtp = new RefusingSmtp(GONE, "550 5.1.1 <" + GONE + ">: Recipient address rejected: User unknown");
        webhook = new WebhookReceiver();
        webhook.answer((r, n) -> new WebhookReceiver.Answer(r.payload().path("target").asText().contains("retired") ? 410 : 200, null));
        database = HERALD.database();
        cluster = HERALD.cluster().set("smtp.port", String.valueOf(smtp.port())).set("smtp.from", "herald@example.org");
        DropwizardTestSupport<HeraldConfiguration> master = cluster.startMaster("suppression-master");
        cluster.useApplication(master, "mailer");
        cluster.startWorker("suppression-worker");
        api = ClusterHarness.api(master);
    }

    @AfterAll
    static void stop() throws Exception {
        smtp.close();
        webhook.close();
    }

    private static long submit(String message) throws Exception {
        HttpResponse<String> response = cluster.post(api + "/v1/messages", message);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).get("id").asLong();
    }

    private static long email(String to, boolean critical) throws Exception {
        return submit("{\"channel\":\"email\",\"target\":\"" + to + "\",\"subject\":\"s\",\"body\":\"b\",\"critical\":" + critical
                + ",\"callbackUrl\":\"https://callbacks.example.org/herald\"}");
    }

    private static JsonNode finalState(long id) throws Exception {
        return JSON.readTree(cluster.get(api + "/v1/messages/" + id + "?wait=30s").body());
    }

    private static JsonNode list(String query) throws Exception {
        HttpResponse<String> response = cluster.get(api + "/v1/suppressions" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void a_mailbox_the_server_says_does_not_exist_is_suppressed_for_later_messages_critical_ones_too() throws Exception {
        long bounced = email(GONE, false);
        JsonNode dead = finalState(bounced);
        assertThat(dead.get("status").asText()).isEqualTo("dead");
        assertThat(dead.get("error").asText()).contains("5.1.1");

        JsonNode entry = list("?channel=email&target=" + q(GONE)).get("entries").get(0);
        assertThat(entry.get("source").asText()).isEqualTo("smtp");
        assertThat(entry.get("messageId").asLong()).isEqualTo(bounced);
        assertThat(entry.get("reason").asText()).contains("550 5.1.1");
        assertThat(entry.get("expiresAt").isNull()).isTrue();

        long later = email(GONE, true);
        long toSomeoneElse = email("here@example.org", false);
        JsonNode suppressed = finalState(later);
        assertThat(suppressed.get("status").asText()).isEqualTo("suppressed");
        assertThat(suppressed.get("error").asText()).contains("suppression list", "5.1.1");
        assertThat(finalState(toSomeoneElse).get("status").asText()).isEqualTo("sent");
        assertThat(smtp.delivered()).contains("here@example.org").doesNotContain(GONE);
        JsonNode events = JSON.readTree(cluster.get(api + "/v1/messages/" + later + "/events").body());
        assertThat(events.toString()).contains("\"suppressed\"");
        assertThat(Rows.count(database.database(), "SELECT COUNT(*) FROM callback WHERE message_id = " + later)).isEqualTo(1);

        HttpResponse<String> removed = cluster.delete(api + "/v1/suppressions?channel=email&target=" + q(GONE));
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
        assertThat(cluster.delete(api + "/v1/suppressions?channel=email&target=" + q(GONE)).statusCode()).isEqualTo(404);
    }

    @Test
    void a_webhook_that_answers_410_is_suppressed_and_one_that_answers_200_is_not() throws Exception {
        String target = webhook.url() + "?tenant=retired";
        long gone = submit("{\"channel\":\"webhook\",\"target\":\"" + target + "\",\"body\":\"bye\"}");
        assertThat(finalState(gone).get("status").asText()).isEqualTo("dead");
        assertThat(list("?channel=webhook&target=" + q(target)).get("entries").get(0).get("source").asText()).isEqualTo("webhook");

        long next = submit("{\"channel\":\"webhook\",\"target\":\"" + target + "\",\"body\":\"{}\"}");
        long elsewhere = submit("{\"channel\":\"webhook\",\"target\":\"" + webhook.url() + "\",\"body\":\"{}\"}");
        assertThat(finalState(next).get("status").asText()).isEqualTo("suppressed");
        assertThat(finalState(elsewhere).get("status").asText()).isEqualTo("sent");
    }

    @Test
    void entries_added_through_the_api_suppress_until_they_expire_and_the_list_pages() throws Exception {
        String expiresAt = Instant.now().plusSeconds(3).toString();
        HttpResponse<String> added = cluster.post(api + "/v1/suppressions",
                "{\"channel\":\"email\",\"target\":\"brief@example.org\",\"reason\":\"asked by phone\",\"expiresAt\":\"" + expiresAt + "\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        assertThat(JSON.readTree(added.body()).get("source").asText()).isEqualTo("api");
        for (int i = 0; i < 5; i++) {
            assertThat(cluster.post(api + "/v1/suppressions", "{\"channel\":\"email\",\"target\":\"page-" + i + "@example.org\"}")
                    .statusCode()).isEqualTo(200);
        }

        assertThat(finalState(email("brief@example.org", false)).get("status").asText()).isEqualTo("suppressed");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                list("?channel=email&target=" + q("brief@example.org")).get("entries").get(0).get("expired").asBoolean());
        assertThat(finalState(email("brief@example.org", false)).get("status").asText()).isEqualTo("sent");

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = list("?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("entries").forEach(e -> seen.add(e.get("target").asText()));
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
        } while (cursor != null);
        assertThat(seen).doesNotHaveDuplicates().contains("page-0@example.org", "page-4@example.org");
    }

    @Test
    void bad_input_is_refused_with_the_field_named() throws Exception {
        assertField(cluster.post(api + "/v1/suppressions", "{\"channel\":\"fax\",\"target\":\"x\"}"), 400, "channel");
        assertField(cluster.post(api + "/v1/suppressions", "{\"channel\":\"email\",\"target\":\"not an address\"}"), 400, "target");
        assertField(cluster.post(api + "/v1/suppressions", "{\"channel\":\"email\",\"target\":\"a@example.org\",\"expiresAt\":\"2001-01-01T00:00:00Z\"}"),
                400, "expiresAt");
        assertField(cluster.post(api + "/v1/suppressions", "{\"channel\":\"email\",\"target\":\"a@example.org\",\"colour\":\"red\"}"), 400, "colour");
        assertField(cluster.get(api + "/v1/suppressions?cursor=bogus"), 400, "cursor");
        assertField(cluster.get(api + "/v1/suppressions?limit=0"), 400, "limit");
        assertField(cluster.get(api + "/v1/suppressions?target=a%40example.org"), 400, "channel");
        assertField(cluster.delete(api + "/v1/suppressions?channel=email"), 400, "target");
    }

    private static void assertField(HttpResponse<String> response, int status, String field) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(JSON.readTree(response.body()).get("field").asText()).isEqualTo(field);
    }
}
