package io.herald.common.channel.builtin;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.common.channel.ChannelSender;
import io.herald.common.channel.Channels;
import io.herald.common.channel.SendResult;
import io.herald.common.config.HeraldConfiguration;
import io.herald.common.template.TemplateFormat;
import io.herald.worker.http.Receiver;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sms channel against a fake Twilio Messages API on loopback. */
class SmsChannelTest extends ProviderFixture {
    private static final String TWILIO_ERROR = "{\"code\":21211,\"message\":\"Invalid 'To' Phone Number\",\"status\":400}";

    private ChannelSender sms(Receiver twilio, String more) throws Exception {
        HeraldConfiguration config = loopbackConfig("sms", "{\"baseUrl\":\"" + origin(twilio) + "/\",\"accountSid\":\"AC0123\","
                + "\"authToken\":\"s3cret\",\"from\":\"+15551234567\"" + more + "}");
        return open(config, "sms");
    }

    @Test
    void a_message_is_a_form_encoded_post_with_basic_auth_byte_for_byte() throws Exception {
        Receiver twilio = closing(Receiver.http(Receiver.status(201, Map.of("Content-Type", "application/json"), "{\"sid\":\"SM1\"}")));
        ChannelSender sender = sms(twilio, "");

        SendResult result = sent(sender, message("sms", "+447700900123", "ignored", "Hi Ann & co: 5€ due", TemplateFormat.TEXT));

        assertThat(result).isEqualTo(SendResult.SENT);
        Receiver.Received r = twilio.received().get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.pathQuery()).isEqualTo("/2010-04-01/Accounts/AC0123/Messages.json");
        assertThat(r.headers().get("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(r.headers().get("Authorization")).isEqualTo("Basic QUMwMTIzOnMzY3JldA==");
        assertThat(r.headers().get("I-Twilio-Idempotency-Token")).isEqualTo("herald-42");
        assertThat(r.body()).isEqualTo("To=%2B447700900123&From=%2B15551234567&Body=Hi+Ann+%26+co%3A+5%E2%82%AC+due".getBytes(US_ASCII));
    }

    @Test
    void twilio_4xx_is_permanent_with_its_error_and_429_and_5xx_are_transient() throws Exception {
        Receiver refusing = closing(Receiver.http(Receiver.status(400, Map.of(), TWILIO_ERROR)));
        Receiver limiting = closing(Receiver.http(Receiver.status(429, Map.of("Retry-After", "7"), "{\"code\":20429}")));
        Receiver failing = closing(Receiver.http(Receiver.status(500, Map.of(), "")));

        assertThat(sent(sms(refusing, ""), message("sms", "+15550000001", null, "x", TemplateFormat.TEXT)))
                .isInstanceOfSatisfying(SendResult.Permanent.class, p -> assertThat(p.error()).contains("Twilio answered HTTP 400", "21211"));
        assertThat(sent(sms(limiting, ""), message("sms", "+15550000001", null, "x", TemplateFormat.TEXT)))
                .isInstanceOfSatisfying(SendResult.Transient.class, t -> assertThat(t.retryAfter()).isEqualTo(Duration.ofSeconds(7)));
        assertThat(sent(sms(failing, ""), message("sms", "+15550000001", null, "x", TemplateFormat.TEXT)))
                .isInstanceOfSatisfying(SendResult.Transient.class, t -> assertThat(t.ambiguous()).isFalse());
    }

    @Test
    void a_timeout_after_the_request_went_out_is_ambiguous() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Receiver stalled = closing(Receiver.http(Receiver.heldUntil(never)));
        HeraldConfiguration config = loopbackConfig("sms", "{\"baseUrl\":\"" + origin(stalled) + "\",\"accountSid\":\"AC1\","
                + "\"authToken\":\"t\",\"from\":\"+15551234567\"}");
        config.webhook.requestTimeout = io.dropwizard.util.Duration.milliseconds(300);
        try {
            SendResult result = sent(open(config, "sms"), message("sms", "+15550000001", null, "x", TemplateFormat.TEXT));
            assertThat(result).isInstanceOfSatisfying(SendResult.Transient.class, t -> {
                assertThat(t.ambiguous()).isTrue();
                assertThat(t.cause()).isEqualTo(SendResult.Cause.TIMEOUT);
            });
        } finally {
            never.countDown();
        }
    }

    @Test
    void a_body_over_the_limit_fails_for_good_without_posting() throws Exception {
        Receiver twilio = closing(Receiver.http(Receiver.ok()));
        SendResult result = sent(sms(twilio, ",\"maxBodyChars\":5"), message("sms", "+15550000001", null, "123456", TemplateFormat.TEXT));
        assertThat(result).isInstanceOf(SendResult.Permanent.class);
        assertThat(twilio.received()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"15551234567", "+0551234567", "+1", "+1234567890123456", "+1 555 123 4567", "+1555123456x", ""})
    void targets_that_are_not_e164_are_refused(String target) {
        assertThat(configured().find("sms").orElseThrow().targets().problem(target)).hasValueSatisfying(p -> assertThat(p).contains("E.164"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+15551234567", "+447700900123", "+12"})
    void e164_targets_are_taken(String target) {
        assertThat(configured().find("sms").orElseThrow().targets().problem(target)).isEmpty();
    }

    @Test
    void without_an_account_the_channel_is_unavailable_and_a_half_configured_account_stops_the_start() throws Exception {
        assertThat(channels(new HeraldConfiguration()).lookup("sms").problem()).contains("channels.sms.accountSid is not set");

        HeraldConfiguration half = new HeraldConfiguration();
        half.channels.put("sms", JSON.readTree("{\"accountSid\":\"AC1\",\"from\":\"5551234567\"}"));
        assertThatThrownBy(() -> channels(half)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channels.sms: authToken is required")
                .hasMessageContaining("channels.sms: from must be a phone number in E.164 form");
    }

    private static Channels configured() {
        try {
            HeraldConfiguration config = new HeraldConfiguration();
            config.channels.put("sms", JSON.readTree("{\"accountSid\":\"AC1\",\"authToken\":\"t\",\"from\":\"+15551234567\"}"));
            return channels(config);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
