package io.herald.common.channel.builtin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.common.channel.ChannelSender;
import io.herald.common.channel.Channels;
import io.herald.common.channel.SendResult;
import io.herald.common.config.HeraldConfiguration;
import io.herald.common.template.TemplateFormat;
import io.herald.worker.http.Receiver;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The slack channel against a fake Slack on loopback: the bytes it posts, how it reads Slack's answers, its pace. */
class SlackChannelTest extends ProviderFixture {
    private static final String FAST = "{\"allowedHosts\":[\"127.0.0.1\"],\"allowPlainHttp\":true,\"ratePerSecond\":1000}";

    private Receiver slack(Receiver.Behaviour behaviour) throws Exception {
        return closing(Receiver.http(behaviour));
    }

    @Test
    void a_text_message_is_posted_as_slack_json_byte_for_byte() throws Exception {
        Receiver slack = slack(Receiver.status(200, Map.of(), "ok"));
        ChannelSender sender = open(loopbackConfig("slack", FAST), "slack");
        String url = origin(slack) + "/services/T000/B000/XXXX";

        SendResult result = sent(sender, message("slack", url, "Deploy \"api\" done", "All green\n\u2705 café", TemplateFormat.TEXT));

        assertThat(result).isEqualTo(SendResult.SENT);
        Receiver.Received r = slack.received().get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.pathQuery()).isEqualTo("/services/T000/B000/XXXX");
        assertThat(r.headers().get("Content-Type")).isEqualTo("application/json");
        assertThat(r.body()).isEqualTo("{\"text\":\"Deploy \\\"api\\\" done\\nAll green\\n\u2705 café\"}".getBytes(UTF_8));
    }

    @Test
    void a_blocks_message_sends_its_subject_as_text_and_its_body_as_blocks() throws Exception {
        Receiver slack = slack(Receiver.ok());
        ChannelSender sender = open(loopbackConfig("slack", FAST), "slack");
        String blocks = "[ {\"type\": \"section\", \"text\": {\"type\": \"mrkdwn\", \"text\": \"*Ann* owes \\\"5\\\"\"}} ]";

        assertThat(sent(sender, message("slack", slack.url() + "/h", "Ann owes 5", blocks, TemplateFormat.BLOCKS))).isEqualTo(SendResult.SENT);

        assertThat(slack.received().get(0).bodyText()).isEqualTo(
                "{\"text\":\"Ann owes 5\",\"blocks\":[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"*Ann* owes \\\"5\\\"\"}}]}");
    }

    @Test
    void blocks_that_are_not_a_json_array_fail_for_good_without_posting() throws Exception {
        Receiver slack = slack(Receiver.ok());
        ChannelSender sender = open(loopbackConfig("slack", FAST), "slack");

        SendResult result = sent(sender, message("slack", slack.url() + "/h", "s", "{\"type\":\"section\"}", TemplateFormat.BLOCKS));

        assertThat(result).isInstanceOf(SendResult.Permanent.class);
        assertThat(((SendResult.Permanent) result).error()).contains("JSON array");
        assertThat(slack.received()).isEmpty();
    }

    @Test
    void a_429_is_transient_with_its_retry_after_and_holds_the_url_off() throws Exception {
        Receiver slack = slack(Receiver.status(429, Map.of("Retry-After", "30"), "rate_limited"));
        ChannelSender sender = open(loopbackConfig("slack", FAST), "slack");
        String url = slack.url() + "/h";

        SendResult first = sent(sender, message("slack", url, null, "a", TemplateFormat.TEXT));
        SendResult second = sent(sender, message("slack", url, null, "b", TemplateFormat.TEXT));

        assertThat(first).isInstanceOfSatisfying(SendResult.Transient.class, t -> {
            assertThat(t.retryAfter()).isEqualTo(Duration.ofSeconds(30));
            assertThat(t.cause()).isEqualTo(SendResult.Cause.TOO_MANY_REQUESTS);
            assertThat(t.ambiguous()).isFalse();
            assertThat(t.error()).contains("rate_limited");
        });
        assertThat(second).isInstanceOfSatisfying(SendResult.Deferred.class,
                d -> assertThat(d.delay()).as("due when the hold-off ends").isGreaterThan(Duration.ofSeconds(1)).isLessThanOrEqualTo(Duration.ofSeconds(30)));
        assertThat(slack.received()).hasSize(1);
    }

    @Test
    void other_4xx_are_permanent_and_5xx_transient() throws Exception {
        Receiver gone = slack(Receiver.status(404, Map.of(), "no_service"));
        Receiver down = slack(Receiver.status(503, Map.of(), "down"));
        ChannelSender sender = open(loopbackConfig("slack", FAST), "slack");

        SendResult permanent = sent(sender, message("slack", gone.url() + "/h", null, "a", TemplateFormat.TEXT));
        SendResult transientFailure = sent(sender, message("slack", down.url() + "/h", null, "a", TemplateFormat.TEXT));

        assertThat(permanent).isInstanceOfSatisfying(SendResult.Permanent.class, p -> assertThat(p.error()).contains("404", "no_service"));
        assertThat(transientFailure).isInstanceOfSatisfying(SendResult.Transient.class, t -> assertThat(t.ambiguous()).isFalse());
    }

    @Test
    void one_message_a_second_per_url_by_default_the_next_is_put_back_unsent() throws Exception {
        Receiver slack = slack(Receiver.ok());
        ChannelSender sender = open(loopbackConfig("slack",
                "{\"allowedHosts\":[\"127.0.0.1\"],\"allowPlainHttp\":true,\"maxPaceWait\":\"0s\"}"), "slack");

        SendResult first = sent(sender, message("slack", slack.url() + "/a", null, "1", TemplateFormat.TEXT));
        SendResult second = sent(sender, message("slack", slack.url() + "/a", null, "2", TemplateFormat.TEXT));
        SendResult otherUrl = sent(sender, message("slack", slack.url() + "/b", null, "3", TemplateFormat.TEXT));

        assertThat(first).isEqualTo(SendResult.SENT);
        assertThat(second).isInstanceOfSatisfying(SendResult.Deferred.class,
                d -> assertThat(d.delay()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1)));
        assertThat(otherUrl).isEqualTo(SendResult.SENT);
        assertThat(slack.received()).extracting(Receiver.Received::bodyText).containsExactly("{\"text\":\"1\"}", "{\"text\":\"3\"}");
    }

    @Test
    void a_send_within_the_pace_wait_goes_after_the_slot() throws Exception {
        Receiver slack = slack(Receiver.ok());
        ChannelSender sender = open(loopbackConfig("slack",
                "{\"allowedHosts\":[\"127.0.0.1\"],\"allowPlainHttp\":true,\"ratePerSecond\":20,\"maxPaceWait\":\"5s\"}"), "slack");

        for (int i = 0; i < 3; i++) {
            assertThat(sent(sender, message("slack", slack.url() + "/a", null, "m" + i, TemplateFormat.TEXT))).isEqualTo(SendResult.SENT);
        }
        assertThat(slack.received()).hasSize(3);
    }

    @Test
    void targets_must_be_https_urls_on_an_allowed_host_that_pass_the_address_guard() throws Exception {
        Channels defaults = channels(new HeraldConfiguration());
        var check = defaults.find("slack").orElseThrow().targets();

        assertThat(check.problem("https://hooks.slack.com/services/T0/B0/x")).isEmpty();
        assertThat(check.problem("https://HOOKS.slack.com/services/T0/B0/x")).isEmpty();
        assertThat(check.problem("http://hooks.slack.com/services/T0/B0/x")).contains("must be an https URL");
        assertThat(check.problem("https://hooks.slack.com.evil.example/x")).contains("must be a Slack webhook URL on hooks.slack.com");
        assertThat(check.problem("not a url")).contains("must be an absolute http or https URL");

        HeraldConfiguration inside = new HeraldConfiguration();
        inside.channels.put("slack", JSON.readTree("{\"allowedHosts\":[\"10.0.0.1\"]}"));
        assertThat(channels(inside).find("slack").orElseThrow().targets().problem("https://10.0.0.1/x"))
                .hasValueSatisfying(p -> assertThat(p).contains("blocked address"));
    }
}
