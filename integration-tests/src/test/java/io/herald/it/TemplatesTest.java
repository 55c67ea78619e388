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
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Templates over the API, scoped by application, rendered by the worker; HTML email escapes values. */
class TemplatesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

    @RegisterExtension
    static final ClusterExtension HERALD = new ClusterExtension();

    private static TestDatabase database;
    private static ClusterHarness cluster;
    private static String api;
    private static String otherKey;

    @BeforeAll
    static void startCluster() throws Exception {
        database = HERALD.database();
        cluster = HERALD.cluster()
                .set("smtp.port", String.valueOf(SMTP.getSmtp().getPort()))
                .set("smtp.from", "herald@example.org");
        DropwizardTestSupport<HeraldConfiguration> master = cluster.startMaster("templates-master");
        cluster.startWorker("templates-worker");
        cluster.useApplication(master, "shop");
        otherKey = cluster.createApplication(master, "other-shop").apiKey();
        api = ClusterHarness.api(master);
    }

    private static HttpResponse<String> put(String path, String body) throws Exception {
        return cluster.send(putRequest(path, body));
    }

    private static HttpResponse<String> put(String path, String body, String key) throws Exception {
        return cluster.send(putRequest(path, body), key);
    }

    private static HttpRequest.Builder putRequest(String path, String body) {
        return HttpRequest.newBuilder(URI.create(api + "/v1/templates/" + path))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpResponse<String> delete(String path) throws Exception {
        return cluster.send(HttpRequest.newBuilder(URI.create(api + "/v1/templates/" + path)).DELETE());
    }

    private static long submit(String json) throws Exception {
        return cluster.submit(api, json);
    }

    private static JsonNode status(long id) throws Exception {
        return cluster.status(api, id);
    }

    @Test
    void a_template_is_created_read_listed_replaced_and_deleted_within_its_application() throws Exception {
        HttpResponse<String> created = put("webhook/order-shipped", "{\"subject\":\"Order {{id}}\",\"body\":\"Shipped {{id}}\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/v1/templates/webhook/order-shipped"));
        JsonNode view = JSON.readTree(created.body());
        assertThat(view.get("format").asText()).isEqualTo("text");
        assertThat(view.get("body").asText()).isEqualTo("Shipped {{id}}");

        HttpResponse<String> replaced = put("webhook/order-shipped", "{\"body\":\"On its way: {{id}}\"}");
        assertThat(replaced.statusCode()).isEqualTo(200);
        JsonNode read = JSON.readTree(cluster.get(api + "/v1/templates/webhook/order-shipped").body());
        assertThat(read.get("body").asText()).isEqualTo("On its way: {{id}}");
        assertThat(read.get("subject").isNull()).isTrue();
        assertThat(JSON.readTree(cluster.get(api + "/v1/templates").body()).get("templates"))
                .extracting(t -> t.get("channel").asText() + "/" + t.get("name").asText()).contains("webhook/order-shipped");

        // Another application neither sees nor can use it, and has its own namespace.
        assertThat(cluster.get(api + "/v1/templates/webhook/order-shipped", otherKey).statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(cluster.get(api + "/v1/templates", otherKey).body()).get("templates")).isEmpty();
        assertThat(put("webhook/order-shipped", "{\"body\":\"theirs\"}", otherKey).statusCode()).isEqualTo(201);
        HttpResponse<String> theirs = cluster.post(api + "/v1/messages",
                "{\"channel\":\"log\",\"target\":\"ops\",\"template\":\"order-shipped\"}", otherKey);
        assertThat(theirs.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(theirs.body()).get("field").asText()).isEqualTo("template");

        assertThat(delete("webhook/order-shipped").statusCode()).isEqualTo(204);
        assertThat(delete("webhook/order-shipped").statusCode()).isEqualTo(404);
        assertThat(cluster.get(api + "/v1/templates/webhook/order-shipped").statusCode()).isEqualTo(404);
        assertThat(cluster.get(api + "/v1/templates/webhook/order-shipped", otherKey).statusCode()).isEqualTo(200);
    }

    static Stream<Arguments> badTemplates() {
        return Stream.of(
                Arguments.of("email/welcome", "{\"body\":\"{{#name}}never closed\",\"subject\":\"s\"}", 400, "body"),
                Arguments.of("email/welcome", "{\"body\":\"b\",\"subject\":\"{{/x}}\"}", 400, "subject"),
                Arguments.of("email/welcome", "{\"body\":\"b {{> footer}}\",\"subject\":\"s\"}", 400, "body"),
                Arguments.of("email/welcome", "{\"body\":\"b\"}", 400, "subject"),
                Arguments.of("email/welcome", "{\"subject\":\"s\"}", 400, "body"),
                Arguments.of("webhook/welcome", "{\"body\":\"b\",\"format\":\"html\"}", 400, "format"),
                Arguments.of("email/welcome", "{\"body\":\"b\",\"subject\":\"s\",\"format\":\"pdf\"}", 400, "format"),
                Arguments.of("email/welcome", "{\"body\":\"b\",\"subject\":\"s\",\"colour\":\"red\"}", 400, "colour"),
                Arguments.of("fax/welcome", "{\"body\":\"b\"}", 400, "channel"),
                Arguments.of("log/bad%20name", "{\"body\":\"b\"}", 400, "name"),
                Arguments.of("log/welcome", "[1]", 400, "$"),
                Arguments.of("log/welcome", "{\"body\":\"" + "x".repeat(64 * 1024 + 1) + "\"}", 413, "body"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badTemplates")
    void a_bad_template_is_refused_at_save_time_naming_the_field(String path, String body, int status, String field) throws Exception {
        HttpResponse<String> response = put(path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("field").asText()).isEqualTo(field);
        assertThat(response.body()).doesNotContain("Exception", "\tat ");
        assertThat(Rows.count(database.database(), "SELECT COUNT(*) FROM template WHERE name = 'welcome'")).isZero();
    }

    @Test
    void a_malformed_templates_error_comes_from_the_engine() throws Exception {
        HttpResponse<String> response = put("log/broken", "{\"body\":\"{{#items}}x\"}");
        assertThat(JSON.readTree(response.body()).get("errors").get(0).get("message").asText())
                .startsWith("is not a valid Mustache template: ").contains("items");
    }

    @Test
    void an_html_email_template_escapes_the_context_and_goes_out_as_html() throws Exception {
        assertThat(put("email/invoice", """
                {"subject":"Invoice {{invoice.number}} for {{name}}","format":"html",
                 "body":"<p>Dear {{name}},</p><ul>{{#lines}}<li>{{item}}: {{amount}}</li>{{/lines}}</ul>"}""").statusCode())
                .isEqualTo(201);
        long id = submit("""
                {"channel":"email","target":"ann@example.org","template":"invoice",
                 "context":{"name":"Ann <ann@evil>","invoice":{"number":42},
                            "lines":[{"item":"Tea & cake","amount":"3.50"},{"item":"<script>x</script>","amount":"1"}]}}""");
        await().atMost(Duration.ofSeconds(30)).until(() -> status(id).get("status").asText().equals("sent"));

        MimeMessage mail = Mails.forMessage(SMTP, id).get(0);
        assertThat(mail.getSubject()).isEqualTo("Invoice 42 for Ann <ann@evil>");
        assertThat(mail.getContentType()).startsWith("text/html");
        assertThat(String.valueOf(mail.getContent())).isEqualTo("<p>Dear Ann &lt;ann@evil&gt;,</p><ul><li>Tea &amp; cake: 3.50</li>"
                + "<li>&lt;script&gt;x&lt;/script&gt;: 1</li></ul>");
    }

    @Test
    void a_message_that_does_not_render_fails_with_the_engines_error_and_is_not_sent() throws Exception {
        assertThat(put("email/reminder", "{\"subject\":\"Reminder\",\"body\":\"Dear {{name}}, pay {{amount}}\"}").statusCode())
                .isEqualTo(201);
        int mailsBefore = SMTP.getReceivedMessages().length;
        long id = submit("{\"channel\":\"email\",\"target\":\"bob@example.org\",\"template\":\"reminder\",\"context\":{\"name\":\"Bob\"}}");
        await().atMost(Duration.ofSeconds(30)).until(() -> status(id).get("status").asText().equals("dead"));

        JsonNode failed = status(id);
        assertThat(failed.get("error").asText())
                .isEqualTo("template: template 'reminder' (email) body: No method or field with name 'amount' on line 1");
        assertThat(failed.get("attempts").asInt()).isEqualTo(1);
        assertThat(SMTP.getReceivedMessages()).hasSize(mailsBefore);
        JsonNode events = JSON.readTree(cluster.get(api + "/v1/messages/" + id + "/events").body()).get("events");
        assertThat(events.get(events.size() - 1).get("status").asText()).isEqualTo("dead");
        assertThat(events.get(events.size() - 1).get("reason").asText()).contains("template 'reminder'");
    }

    @Test
    void a_message_naming_a_template_that_does_not_exist_is_refused() throws Exception {
        HttpResponse<String> response = cluster.post(api + "/v1/messages/batch", """
                [{"channel":"log","target":"ops","body":"plain"},{"channel":"log","target":"ops","template":"nope","context":{}}]""");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("field").asText()).isEqualTo("[1].template");
        assertThat(Rows.count(database.database(), "SELECT COUNT(*) FROM message WHERE body = 'plain'")).isZero();
    }
}
