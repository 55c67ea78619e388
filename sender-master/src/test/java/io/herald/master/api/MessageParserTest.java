package io.herald.master.api;

import io.herald.common.config.HeraldConfiguration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dropwizard.jackson.Jackson;
import io.herald.common.model.Channel;
import io.herald.common.model.Priority;
import io.herald.common.testing.SettableClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageParserTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-03T12:00:00Z"));
    private final MessageParser parser = new MessageParser(Jackson.newObjectMapper(), Targets.of(new HeraldConfiguration()),
            new SendAt(clock));

    // ---- helpers ------------------------------------------------------------------------------

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON string literal; escapes only what the tests put in it. */
    private static String str(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String logMessage(String body) {
        return "{\"application\":\"billing\",\"channel\":\"log\",\"target\":\"audit\",\"body\":" + str(body) + "}";
    }

    private static String emailMessage(String target, String subject) {
        return "{\"application\":\"billing\",\"channel\":\"email\",\"target\":" + str(target)
                + ",\"subject\":" + str(subject) + ",\"body\":\"hello\"}";
    }

    private static String webhookMessage(String target) {
        return "{\"application\":\"billing\",\"channel\":\"webhook\",\"target\":" + str(target) + ",\"body\":\"{}\"}";
    }

    private static String batchOf(int n) {
        StringJoiner items = new StringJoiner(",", "[", "]");
        for (int i = 0; i < n; i++) {
            items.add(logMessage("message " + i));
        }
        return items.toString();
    }

    private InvalidRequestException rejectOne(String json) {
        return rejectOne(bytes(json));
    }

    private InvalidRequestException rejectOne(byte[] body) {
        InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, () -> parser.parseOne(body, "billing"));
        assertThat(e).as("parseOne should reject the request").isNotNull();
        return e;
    }

    private InvalidRequestException rejectBatch(String json) {
        InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, () -> parser.parseBatch(bytes(json), "billing"));
        assertThat(e).as("parseBatch should reject the request").isNotNull();
        return e;
    }

    private static List<String> fields(InvalidRequestException e) {
        return e.errors().stream().map(FieldError::field).toList();
    }

    private static void assertRejected(InvalidRequestException e, int status, String field) {
        assertThat(e.status()).as("HTTP status").isEqualTo(status);
        assertThat(fields(e)).as("offending fields").containsExactly(field);
    }

    // ---- whole-body problems ------------------------------------------------------------------

    @Nested
    class Body {
        @Test
        void rejects_malformed_json_with_400_on_the_root() {
            InvalidRequestException e = rejectOne("{\"application\": \"billing\",");

            assertRejected(e, 400, "$");
            assertThat(e.errors().get(0).message()).startsWith("malformed JSON");
        }

        @Test
        void rejects_an_empty_body_with_400_on_the_root() {
            InvalidRequestException e = rejectOne(new byte[0]);

            assertRejected(e, 400, "$");
            assertThat(e.errors().get(0).message()).contains("empty");
        }

        @Test
        void rejects_an_empty_body_in_a_batch_with_400_on_the_root() {
            InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, () -> parser.parseBatch(new byte[0], "billing"));

            assertThat(e).isNotNull();
            assertRejected(e, 400, "$");
        }

        @Test
        void rejects_a_body_of_only_whitespace_with_400_on_the_root() {
            assertRejected(rejectOne("   \n "), 400, "$");
        }

        @Test
        void rejects_a_json_value_that_is_not_an_object() {
            assertRejected(rejectOne("[" + logMessage("hi") + "]"), 400, "$");
            assertRejected(rejectOne("\"just a string\""), 400, "$");
            assertRejected(rejectOne("null"), 400, "$");
        }

        @Test
        void rejects_trailing_content_after_the_object() {
            assertRejected(rejectOne(logMessage("one") + " " + logMessage("two")), 400, "$");
        }

        @Test
        void rejects_a_duplicated_field() {
            String json = "{\"application\":\"billing\",\"channel\":\"log\",\"target\":\"audit\",\"body\":\"a\",\"body\":\"b\"}";

            assertRejected(rejectOne(json), 400, "$");
        }
    }

    // ---- field problems -----------------------------------------------------------------------

    @Nested
    class Fields {
        @ParameterizedTest
        @ValueSource(strings = {"channel", "target", "body"})
        void rejects_a_message_missing_a_required_field(String field) {
            Map<String, String> message = new LinkedHashMap<>();
            message.put("application", "billing");
            message.put("channel", "log");
            message.put("target", "audit");
            message.put("body", "hello");
            message.remove(field);
            StringJoiner json = new StringJoiner(",", "{", "}");
            message.forEach((k, v) -> json.add(str(k) + ":" + str(v)));

            InvalidRequestException e = rejectOne(json.toString());

            assertRejected(e, 400, field);
            assertThat(e.errors().get(0).message()).isEqualTo("is required");
        }

        @Test
        void treats_an_explicit_null_for_a_required_field_as_missing() {
            String json = "{\"application\":\"billing\",\"channel\":\"log\",\"target\":\"audit\",\"body\":null}";

            InvalidRequestException e = rejectOne(json);

            assertRejected(e, 400, "body");
            assertThat(e.errors().get(0).message()).isEqualTo("is required");
        }

        @Test
        void reports_every_missing_required_field_at_once() {
            InvalidRequestException e = rejectOne("{}");

            assertThat(e.status()).isEqualTo(400);
            assertThat(fields(e)).containsExactlyInAnyOrder("channel", "target", "body");
        }

        @Test
        void rejects_an_unknown_field_and_names_it() {
            String json = logMessage("hello").replace("{", "{\"colour\":\"red\",");

            InvalidRequestException e = rejectOne(json);

            assertRejected(e, 400, "colour");
            assertThat(e.errors().get(0).message()).startsWith("unknown field");
        }

        @ParameterizedTest
        @ValueSource(strings = {"fax", "EMAIL", "Log", ""})
        void rejects_an_unknown_channel(String channel) {
            String json = logMessage("hello").replace("\"channel\":\"log\"", "\"channel\":" + str(channel));

            InvalidRequestException e = rejectOne(json);

            assertRejected(e, 400, "channel");
            assertThat(e.errors().get(0).message()).contains("unknown channel");
        }

        @Test
        void rejects_an_installed_channel_that_is_not_configured_naming_the_channel() {
            InvalidRequestException e = rejectOne(logMessage("hello").replace("\"channel\":\"log\",\"target\":\"audit\"",
                    "\"channel\":\"sms\",\"target\":\"+15551234567\""));

            assertRejected(e, 400, "channel");
            assertThat(e.errors().get(0).message()).isEqualTo("'sms' is not available on this cluster: channels.sms.accountSid is not set");
        }

        @Test
        void takes_dry_run_as_a_flag() {
            assertThat(parser.parseOne(logMessage("hello").replace("{", "{\"dryRun\":true,").getBytes(), "billing").dryRun()).isTrue();
            assertThat(parser.parseOne(logMessage("hello").getBytes(), "billing").dryRun()).isFalse();
            assertRejected(rejectOne(logMessage("hello").replace("{", "{\"dryRun\":\"yes\",")), 400, "dryRun");
        }

        @Test
        void checks_slack_targets_with_the_slack_plug_in() {
            InvalidRequestException e = rejectOne(logMessage("hello").replace("\"channel\":\"log\",\"target\":\"audit\"",
                    "\"channel\":\"slack\",\"target\":\"https://example.org/hook\""));

            assertRejected(e, 400, "target");
            assertThat(e.errors().get(0).message()).contains("must be a Slack webhook URL on hooks.slack.com");
        }

        @ParameterizedTest
        @ValueSource(strings = {"critical", "HIGH", "normal", ""})
        void rejects_an_unknown_priority(String priority) {
            String json = logMessage("hello").replace("{", "{\"priority\":" + str(priority) + ",");

            InvalidRequestException e = rejectOne(json);

            assertRejected(e, 400, "priority");
            assertThat(e.errors().get(0).message()).contains("unknown priority");
        }

        @ParameterizedTest
        @ValueSource(strings = {"not-an-address", "Name <a@b.c>", "@example.com", "a@", "a@b.c, d@e.f", "undisclosed:;", ""})
        void rejects_an_email_target_that_is_not_a_bare_address(String target) {
            InvalidRequestException e = rejectOne(emailMessage(target, "Hi"));

            assertRejected(e, 400, "target");
        }

        @ParameterizedTest
        @ValueSource(strings = {"ftp://x", "/relative", "http://", "example.com/hook", "mailto:a@b.c", "https:///no-host", ""})
        void rejects_a_webhook_target_that_is_not_an_absolute_http_url(String target) {
            InvalidRequestException e = rejectOne(webhookMessage(target));

            assertRejected(e, 400, "target");
            assertThat(e.errors().get(0).message()).contains("http");
        }

        @Test
        void rejects_a_blank_log_target() {
            String json = logMessage("hello").replace("\"target\":\"audit\"", "\"target\":\"   \"");

            assertRejected(rejectOne(json), 400, "target");
        }

        @Test
        void rejects_a_target_longer_than_2048_characters() {
            String target = "https://example.com/" + "a".repeat(2_049 - "https://example.com/".length());

            assertRejected(rejectOne(webhookMessage(target)), 400, "target");
        }

        @Test
        void rejects_a_subject_longer_than_255_characters() {
            InvalidRequestException e = rejectOne(emailMessage("someone@example.com", "s".repeat(256)));

            assertRejected(e, 400, "subject");
        }

        @Test
        void accepts_a_subject_of_exactly_255_characters() {
            NewMessage m = parser.parseOne(bytes(emailMessage("someone@example.com", "s".repeat(255))), "billing");

            assertThat(m.subject()).hasSize(255);
        }

        @Test
        void rejects_a_body_one_byte_over_64_kib_with_413() {
            InvalidRequestException e = rejectOne(logMessage("b".repeat(65_537)));

            assertRejected(e, 413, "body");
        }

        @Test
        void accepts_a_body_of_exactly_64_kib() {
            NewMessage m = parser.parseOne(bytes(logMessage("b".repeat(65_536))), "billing");

            assertThat(m.body()).hasSize(65_536);
        }

        @Test
        void measures_the_body_limit_in_utf8_bytes_not_characters() {
            // 30 000 euro signs: well under 65 536 characters, but 90 000 bytes in UTF-8.
            String body = "\u20ac".repeat(30_000);
            assertThat(body.length()).isLessThan(65_536);
            assertThat(body.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(65_536);

            InvalidRequestException e = rejectOne(logMessage(body));

            assertRejected(e, 413, "body");
        }

        @Test
        void answers_413_when_the_body_is_too_large_even_alongside_other_errors() {
            String json = "{\"application\":\"billing\",\"channel\":\"log\",\"target\":\"audit\",\"priority\":\"nope\",\"body\":"
                    + str("b".repeat(65_537)) + "}";

            InvalidRequestException e = rejectOne(json);

            assertThat(e.status()).isEqualTo(413);
            assertThat(fields(e)).containsExactlyInAnyOrder("body", "priority");
        }

        @Test
        void rejects_a_field_of_the_wrong_json_type() {
            String json = logMessage("hello").replace("{", "{\"priority\":3,");

            InvalidRequestException e = rejectOne(json);

            assertRejected(e, 400, "priority");
            assertThat(e.errors().get(0).message()).isEqualTo("must be a string");
        }

        @Test
        void rejects_a_required_field_given_as_an_object() {
            String json = "{\"application\":\"billing\",\"channel\":\"log\",\"target\":\"audit\",\"body\":{\"text\":\"hi\"}}";

            assertRejected(rejectOne(json), 400, "body");
        }

        @Test
        void rejects_an_email_without_a_subject() {
            String json = "{\"application\":\"billing\",\"channel\":\"email\",\"target\":\"someone@example.com\",\"body\":\"hello\"}";

            InvalidRequestException e = rejectOne(json);

            assertRejected(e, 400, "subject");
        }

        @ParameterizedTest
        @ValueSource(strings = {"payroll", "  ", "Billing", "billing "})
        void rejects_an_application_other_than_the_api_keys(String other) {
            String json = logMessage("hello").replace("\"application\":\"billing\"", "\"application\":" + str(other));

            InvalidRequestException e = rejectOne(json);

            assertRejected(e, 400, "application");
            assertThat(e.errors().get(0).message()).contains("'billing'", "omit the field");
        }

        @Test
        void rejects_an_empty_idempotency_key() {
            String json = logMessage("hello").replace("{", "{\"idempotencyKey\":\"\",");

            assertRejected(rejectOne(json), 400, "idempotencyKey");
        }

        @Test
        void rejects_an_idempotency_key_longer_than_255_characters() {
            String json = logMessage("hello").replace("{", "{\"idempotencyKey\":" + str("k".repeat(256)) + ",");

            assertRejected(rejectOne(json), 400, "idempotencyKey");
        }
    }

    // ---- accepted messages --------------------------------------------------------------------

    @Nested
    class Accepted {
        @Test
        void takes_the_application_from_the_api_key_when_the_body_names_none() {
            NewMessage m = parser.parseOne(bytes(logMessage("hello").replace("\"application\":\"billing\",", "")), "payroll");

            assertThat(m.application()).isEqualTo("payroll");
        }

        @Test
        void defaults_priority_to_medium() {
            NewMessage m = parser.parseOne(bytes(logMessage("hello")), "billing");

            assertThat(m.priority()).isEqualTo(Priority.MEDIUM);
        }

        @Test
        void defaults_priority_to_medium_when_it_is_null() {
            NewMessage m = parser.parseOne(bytes(logMessage("hello").replace("{", "{\"priority\":null,")), "billing");

            assertThat(m.priority()).isEqualTo(Priority.MEDIUM);
        }

        @Test
        void reads_an_explicit_priority() {
            NewMessage m = parser.parseOne(bytes(logMessage("hello").replace("{", "{\"priority\":\"urgent\",")), "billing");

            assertThat(m.priority()).isEqualTo(Priority.URGENT);
        }

        @Test
        void accepts_an_email_to_a_bare_address() {
            NewMessage m = parser.parseOne(bytes(emailMessage("someone@example.com", "Invoice")), "billing");

            assertThat(m).isEqualTo(new NewMessage("billing", Channel.EMAIL, "someone@example.com", "Invoice", "hello",
                    Priority.MEDIUM, null, null, null, null, null, null, NewMessage.ANYONE));
        }

        @ParameterizedTest
        @ValueSource(strings = {"http://example.com/hook", "https://example.com:8443/a/b?c=d", "HTTPS://EXAMPLE.COM"})
        void accepts_a_webhook_to_an_absolute_http_url(String target) {
            NewMessage m = parser.parseOne(bytes(webhookMessage(target)), "billing");

            assertThat(m.channel()).isEqualTo(Channel.WEBHOOK);
            assertThat(m.target()).isEqualTo(target);
            assertThat(m.subject()).isNull();
        }

        @Test
        void accepts_a_log_message() {
            NewMessage m = parser.parseOne(bytes(logMessage("hello")), "billing");

            assertThat(m).isEqualTo(new NewMessage("billing", Channel.LOG, "audit", null, "hello", Priority.MEDIUM, null, null, null, null, null, null, NewMessage.ANYONE));
        }

        @Test
        void keeps_the_idempotency_key() {
            NewMessage m = parser.parseOne(bytes(logMessage("hello").replace("{", "{\"idempotencyKey\":\"order-42\",")), "billing");

            assertThat(m.idempotencyKey()).isEqualTo("order-42");
        }

        @Test
        void keeps_a_body_with_multibyte_characters_intact() {
            NewMessage m = parser.parseOne(bytes(logMessage("gr\u00fc\u00df dich \ud83d\udc4b")), "billing");

            assertThat(m.body()).isEqualTo("gr\u00fc\u00df dich \ud83d\udc4b");
        }
    }

    // ---- batches ------------------------------------------------------------------------------

    @Nested
    class Batch {
        @Test
        void rejects_a_batch_that_is_not_an_array() {
            InvalidRequestException e = rejectBatch(logMessage("hello"));

            assertRejected(e, 400, "$");
        }

        @Test
        void rejects_malformed_json_in_a_batch() {
            assertRejected(rejectBatch("[" + logMessage("hello")), 400, "$");
        }

        @Test
        void rejects_an_empty_array() {
            InvalidRequestException e = rejectBatch("[]");

            assertRejected(e, 400, "$");
        }

        @Test
        void rejects_1001_messages_with_413() {
            InvalidRequestException e = rejectBatch(batchOf(1_001));

            assertRejected(e, 413, "$");
        }

        @Test
        void accepts_a_batch_of_exactly_1000() {
            List<NewMessage> messages = parser.parseBatch(bytes(batchOf(1_000)), "billing");

            assertThat(messages).hasSize(1_000);
            assertThat(messages.get(0).body()).isEqualTo("message 0");
            assertThat(messages.get(999).body()).isEqualTo("message 999");
        }

        @Test
        void names_the_item_index_of_an_error() {
            String json = "[" + logMessage("0") + "," + logMessage("1") + "," + logMessage("2") + ","
                    + webhookMessage("ftp://x") + "," + logMessage("4") + "]";

            InvalidRequestException e = rejectBatch(json);

            assertRejected(e, 400, "[3].target");
        }

        @Test
        void reports_errors_in_several_items_together() {
            String json = "[" + logMessage("0") + "," + logMessage("1").replace("{", "{\"extra\":1,") + ","
                    + emailMessage("nope", "Hi") + "]";

            InvalidRequestException e = rejectBatch(json);

            assertThat(e.status()).isEqualTo(400);
            assertThat(fields(e)).containsExactlyInAnyOrder("[1].extra", "[2].target");
        }

        @Test
        void names_an_item_that_is_not_an_object_by_its_index() {
            InvalidRequestException e = rejectBatch("[" + logMessage("0") + ",42]");

            assertRejected(e, 400, "[1]");
        }

        @Test
        void answers_413_when_one_item_body_is_too_large() {
            String json = "[" + logMessage("0") + "," + logMessage("b".repeat(65_537)) + "]";

            InvalidRequestException e = rejectBatch(json);

            assertRejected(e, 413, "[1].body");
        }

        @Test
        void keeps_the_order_of_the_items() {
            String json = "[" + emailMessage("a@example.com", "A") + "," + webhookMessage("https://example.com/h") + ","
                    + logMessage("c") + "]";

            List<NewMessage> messages = parser.parseBatch(bytes(json), "billing");

            assertThat(messages).extracting(NewMessage::channel)
                    .containsExactly(Channel.EMAIL, Channel.WEBHOOK, Channel.LOG);
        }
    }

    // ---- templated messages -------------------------------------------------------------------

    @Nested
    class Templates {
        private static final String TEMPLATED = "{\"channel\":\"email\",\"target\":\"someone@example.com\",\"template\":\"invoice-ready\"";

        @Test
        void keeps_the_template_name_and_the_context_as_json_and_needs_no_subject_or_body() {
            NewMessage m = parser.parseOne(bytes(TEMPLATED + ",\"context\":{\"n\":42,\"who\":{\"name\":\"Ann\"}}}"), "billing");

            assertThat(m.template()).isEqualTo("invoice-ready");
            assertThat(m.templateContext()).isEqualTo("{\"n\":42,\"who\":{\"name\":\"Ann\"}}");
            assertThat(m.subject()).isNull();
            assertThat(m.body()).isNull();
        }

        @Test
        void takes_a_missing_context_as_the_empty_object() {
            assertThat(parser.parseOne(bytes(TEMPLATED + "}"), "billing").templateContext()).isEqualTo("{}");
        }

        @ParameterizedTest
        @ValueSource(strings = {"subject", "body"})
        void refuses_a_subject_or_body_beside_a_template(String field) {
            InvalidRequestException e = rejectOne(TEMPLATED + ",\"" + field + "\":\"x\"}");

            assertRejected(e, 400, field);
            assertThat(e.errors().get(0).message()).contains("must not be given with a template");
        }

        @ParameterizedTest
        @ValueSource(strings = {"[1]", "\"text\"", "3"})
        void refuses_a_context_that_is_not_an_object(String context) {
            assertRejected(rejectOne(TEMPLATED + ",\"context\":" + context + "}"), 400, "context");
        }

        @Test
        void refuses_a_context_without_a_template() {
            assertRejected(rejectOne(logMessage("hi").replace("{", "{\"context\":{},")), 400, "context");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "-x", "a b", "../etc"})
        void refuses_a_template_name_outside_the_safe_alphabet(String name) {
            assertRejected(rejectOne(TEMPLATED.replace("invoice-ready", name) + "}"), 400, "template");
        }

        @Test
        void refuses_a_context_over_64_kib_with_413() {
            assertRejected(rejectOne(TEMPLATED + ",\"context\":{\"x\":\"" + "y".repeat(65_536) + "\"}}"), 413, "context");
        }
    }

    @Nested
    class ScheduledSends {
        private String at(String sendAt) {
            return logMessage("hi").replace("{", "{\"sendAt\":" + str(sendAt) + ",");
        }

        @ParameterizedTest
        @ValueSource(strings = {"2026-12-24T08:00:00Z", "2026-12-24t08:00:00z", "2026-12-24T09:00:00+01:00", "2026-12-24T07:30:00-00:30"})
        void reads_an_rfc_3339_time_with_an_offset(String sendAt) {
            assertThat(parser.parseOne(bytes(at(sendAt)), "billing").sendAt()).isEqualTo(Instant.parse("2026-12-24T08:00:00Z"));
        }

        @Test
        void keeps_milliseconds_as_the_database_does() {
            assertThat(parser.parseOne(bytes(at("2026-12-24T08:00:00.123456789Z")), "billing").sendAt())
                    .isEqualTo(Instant.parse("2026-12-24T08:00:00.123Z"));
        }

        @Test
        void accepts_a_time_a_little_in_the_past_and_up_to_a_year_ahead() {
            assertThat(parser.parseOne(bytes(at("2026-12-03T11:55:00Z")), "billing").sendAt()).isEqualTo(Instant.parse("2026-12-03T11:55:00Z"));
            assertThat(parser.parseOne(bytes(at("2027-12-03T12:00:00Z")), "billing").sendAt()).isEqualTo(Instant.parse("2027-12-03T12:00:00Z"));
        }

        @Test
        void no_send_at_is_null() {
            assertThat(parser.parseOne(bytes(logMessage("hi")), "billing").sendAt()).isNull();
        }

        @ParameterizedTest
        @ValueSource(strings = {"2026-12-24T08:00:00", "2026-12-24T08:00Z", "2026-12-24 08:00:00Z", "2026-12-24", "1795390000",
                "2026-02-30T08:00:00Z", "2026-12-24T25:00:00Z", "2026-12-24T08:00:00+19:00", "2026-12-24T08:00:00+0100",
                "tomorrow", "", "+2026-12-24T08:00:00Z", "2026-12-24T08:00:00.Z", "2026-12-24T08:00:00.1234567890Z"})
        void refuses_what_is_not_rfc_3339_with_an_offset(String sendAt) {
            InvalidRequestException e = rejectOne(at(sendAt));
            assertRejected(e, 400, "sendAt");
            assertThat(e.errors().get(0).message()).contains("RFC 3339");
        }

        @Test
        void refuses_a_time_more_than_a_year_ahead() {
            InvalidRequestException e = rejectOne(at("2027-12-03T12:00:00.001Z"));
            assertRejected(e, 400, "sendAt");
            assertThat(e.errors().get(0).message()).contains("365 days ahead");
        }

        @Test
        void refuses_a_time_more_than_five_minutes_in_the_past() {
            InvalidRequestException e = rejectOne(at("2026-12-03T11:54:59.999Z"));
            assertRejected(e, 400, "sendAt");
            assertThat(e.errors().get(0).message()).contains("5 minutes in the past");
        }

        @Test
        void refuses_a_send_at_that_is_not_a_string_and_names_it_in_a_batch() {
            assertRejected(rejectOne(logMessage("hi").replace("{", "{\"sendAt\":1795390000,")), 400, "sendAt");
            InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
                    () -> parser.parseBatch(bytes("[" + logMessage("ok") + "," + at("soon") + "]"), "billing"));
            assertThat(e.errors()).extracting(FieldError::field).containsExactly("[1].sendAt");
        }
    }

    // ---- topics ---------------------------------------------------------------------------

    @Nested
    class Topic {
        private MessageParser.Addressed addressed(String json) {
            return parser.parseAddressed(bytes(json), "billing");
        }

        private InvalidRequestException rejectAddressed(String json) {
            InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, () -> addressed(json));
            assertThat(e).as("parseAddressed should reject the request").isNotNull();
            return e;
        }

        @Test
        void a_topic_instead_of_a_target_is_a_message_without_a_target() {
            MessageParser.Addressed a = addressed("{\"channel\":\"email\",\"topic\":\"release-notes\",\"subject\":\"v2\",\"body\":\"out\"}");
            assertThat(a.topic()).isEqualTo("release-notes");
            assertThat(a.message().target()).isNull();
            assertThat(a.message().subject()).isEqualTo("v2");
            assertThat(addressed(logMessage("hello")).topic()).isNull();
        }

        @Test
        void exactly_one_of_target_and_topic() {
            assertRejected(rejectAddressed("{\"channel\":\"log\",\"target\":\"ops\",\"topic\":\"news\",\"body\":\"b\"}"), 400, "topic");
            assertRejected(rejectAddressed("{\"channel\":\"log\",\"body\":\"b\"}"), 400, "target");
        }

        @Test
        void a_bad_topic_name_a_recipient_with_a_topic_and_a_topic_in_a_batch_or_parseOne_are_refused() {
            assertRejected(rejectAddressed("{\"channel\":\"log\",\"topic\":\"no spaces\",\"body\":\"b\"}"), 400, "topic");
            assertRejected(rejectAddressed("{\"channel\":\"log\",\"topic\":\"news\",\"recipient\":\"u\",\"body\":\"b\"}"), 400, "recipient");
            assertRejected(rejectBatch("[{\"channel\":\"log\",\"topic\":\"news\",\"body\":\"b\"}]"), 400, "[0].topic");
            assertRejected(rejectOne("{\"channel\":\"log\",\"topic\":\"news\",\"body\":\"b\"}"), 400, "topic");
        }
    }
}
