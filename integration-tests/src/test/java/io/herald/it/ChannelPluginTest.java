package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import io.herald.common.config.HeraldConfiguration;
import io.herald.it.echo.EchoChannel;
import java.net.http.HttpResponse;
import java.time.Duration;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A channel plug-in found by ServiceLoader on the class path (the test channel {@link EchoChannel}), with its own
 * channels.echo settings, used end to end: the master checks its targets, the worker sends through it. And dry runs,
 * per message and per application, through the same path.
 */
class ChannelPluginTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ClusterExtension HERALD = new ClusterExtension();

    private static ClusterHarness cluster;
    private static DropwizardTestSupport<HeraldConfiguration> master;
    private static String api;
    private static HttpServer slack;
    private static final List<String> SLACK_BODIES = new CopyOnWriteArrayList<>();

    @AfterAll
    static void stopSlack() {
        slack.stop(0);
    }

    @BeforeAll
    static void startCluster() throws Exception {
        slack = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        slack.createContext("/services", exchange -> {
            try (exchange) {
                SLACK_BODIES.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, ok.length);
                exchange.getResponseBody().write(ok);
            }
        });
        slack.start();
        cluster = HERALD.cluster().set("channels.echo.prefix", "room:")
                .set("channels.slack.allowedHosts", "127.0.0.1").set("channels.slack.allowPlainHttp", "true");
        master = cluster.startMaster("plugin-master");
        cluster.startWorker("plugin-worker");
        cluster.useApplication(master, "chat");
        api = ClusterHarness.api(master);
    }

    private static long submit(String json) throws Exception {
        return cluster.submit(api, json);
    }

    private static JsonNode status(long id) throws Exception {
        return cluster.status(api, id);
    }

    private static JsonNode sentEventually(long id) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> status(id), s -> s.get("status").asText().equals("sent"));
    }

    @Test
    void a_plug_in_on_the_class_path_is_a_channel_its_settings_bound_from_config() throws Exception {
        long id = submit("{\"channel\":\"echo\",\"target\":\"room:42\",\"body\":\"hello\"}");

        JsonNode sent = sentEventually(id);

        assertThat(sent.get("dryRun").asBoolean()).isFalse();
        assertThat(EchoChannel.DELIVERED).contains("room:42|hello|herald-" + id);
    }

    @Test
    void the_plug_in_checks_its_targets_at_the_api_and_unknown_channels_are_named() throws Exception {
        HttpResponse<String> badTarget = cluster.post(api + "/v1/messages", "{\"channel\":\"echo\",\"target\":\"lobby\",\"body\":\"b\"}");
        assertThat(badTarget.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badTarget.body()).get("field").asText()).isEqualTo("target");
        assertThat(badTarget.body()).contains("must start with room:");

        HttpResponse<String> unknown = cluster.post(api + "/v1/messages", "{\"channel\":\"fax\",\"target\":\"1\",\"body\":\"b\"}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).get("field").asText()).isEqualTo("channel");
        assertThat(unknown.body()).contains("unknown channel 'fax'; one of echo|email|log|slack|webhook");

        HttpResponse<String> off = cluster.post(api + "/v1/messages", "{\"channel\":\"sms\",\"target\":\"+15551234567\",\"body\":\"b\"}");
        assertThat(off.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(off.body()).get("field").asText()).isEqualTo("channel");
    }

    @Test
    void a_permanent_failure_the_plug_in_reports_dead_letters_the_message() throws Exception {
        long id = submit("{\"channel\":\"echo\",\"target\":\"room:1\",\"body\":\"please refuse\"}");

        JsonNode dead = await().atMost(Duration.ofSeconds(30)).until(() -> status(id), s -> s.get("status").asText().equals("dead"));

        assertThat(dead.get("error").asText()).contains("echo refused the body");
    }

    @Test
    void a_blocks_template_is_rendered_json_escaped_and_posted_to_slack_as_blocks() throws Exception {
        String template = "{\"subject\":\"Deploy {{v}}\",\"format\":\"blocks\",\"body\":"
                + "\"[{\\\"type\\\":\\\"section\\\",\\\"text\\\":{\\\"type\\\":\\\"mrkdwn\\\",\\\"text\\\":\\\"*{{v}}* by {{who}}\\\"}}]\"}";
        HttpResponse<String> saved = cluster.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "/v1/templates/slack/deploy"))
                .header("Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString(template)));
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(201);
        HttpResponse<String> notForWebhooks = cluster.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "/v1/templates/webhook/deploy"))
                .header("Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString(template)));
        assertThat(notForWebhooks.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notForWebhooks.body()).get("field").asText()).isEqualTo("format");

        String url = "http://127.0.0.1:" + slack.getAddress().getPort() + "/services/T0/B0/x";
        long id = submit("{\"channel\":\"slack\",\"target\":\"" + url + "\",\"template\":\"deploy\","
                + "\"context\":{\"v\":\"1.4\",\"who\":\"Ann \\\"the\\\" dev\"}}");

        sentEventually(id);
        assertThat(SLACK_BODIES).containsExactly(
                "{\"text\":\"Deploy 1.4\",\"blocks\":[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"*1.4* by Ann \\\"the\\\" dev\"}}]}");
    }

    @Test
    void a_dry_run_message_goes_the_whole_way_ends_sent_and_reaches_no_channel() throws Exception {
        long id = submit("{\"channel\":\"echo\",\"target\":\"room:7\",\"body\":\"dry one\",\"dryRun\":true}");

        JsonNode sent = sentEventually(id);

        assertThat(sent.get("dryRun").asBoolean()).isTrue();
        assertThat(sent.get("attempts").asInt()).isEqualTo(1);
        JsonNode events = JSON.readTree(cluster.get(api + "/v1/messages/" + id + "/events").body());
        assertThat(events.get("dryRun").asBoolean()).isTrue();
        JsonNode last = events.get("events").get(events.get("events").size() - 1);
        assertThat(last.get("status").asText()).isEqualTo("sent");
        assertThat(last.get("reason").asText()).isEqualTo("attempt 1 dry run: nothing left the worker");
        assertThat(EchoChannel.DELIVERED).noneMatch(d -> d.contains("dry one"));
    }

    @Test
    void an_application_in_dry_run_sends_nothing_until_it_is_switched_off() throws Exception {
        ClusterHarness.Credentials quiet = cluster.createApplication(master, "quiet");
        String task = ClusterHarness.admin(master) + "/tasks/app-dry-run?application=quiet&enabled=";
        assertThat(cluster.post(task + "true", "", null).statusCode()).isEqualTo(200);

        HttpResponse<String> accepted = cluster.post(api + "/v1/messages",
                "{\"channel\":\"echo\",\"target\":\"room:9\",\"body\":\"app dry\"}", quiet.apiKey());
        long dry = JSON.readTree(accepted.body()).get("id").asLong();
        JsonNode sent = await().atMost(Duration.ofSeconds(30))
                .until(() -> JSON.readTree(cluster.get(api + "/v1/messages/" + dry, quiet.apiKey()).body()),
                        s -> s.get("status").asText().equals("sent"));
        assertThat(sent.get("dryRun").asBoolean()).isTrue();

        assertThat(cluster.post(task + "false", "", null).statusCode()).isEqualTo(200);
        HttpResponse<String> real = cluster.post(api + "/v1/messages",
                "{\"channel\":\"echo\",\"target\":\"room:9\",\"body\":\"app wet\"}", quiet.apiKey());
        long wet = JSON.readTree(real.body()).get("id").asLong();
        await().atMost(Duration.ofSeconds(30)).until(() -> EchoChannel.DELIVERED.contains("room:9|app wet|herald-" + wet));
        assertThat(EchoChannel.DELIVERED).noneMatch(d -> d.contains("app dry"));
    }
}
