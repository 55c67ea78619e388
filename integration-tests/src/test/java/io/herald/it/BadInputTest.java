package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import io.herald.common.config.HeraldConfiguration;
import io.herald.common.testing.Rows;
import io.herald.common.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad input gets its 4xx, a JSON body naming the field, no stack trace, and stores nothing. */
class BadInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OK_FIELDS = "\"application\":\"a\",\"channel\":\"log\",\"target\":\"ops\",\"body\":\"b\"";

    @RegisterExtension
    static final ClusterExtension HERALD = new ClusterExtension();

    private static TestDatabase database;
    private static ClusterHarness cluster;
    private static String api;

    @BeforeAll
    static void startMaster() throws Exception {
        database = HERALD.database();
        cluster = HERALD.cluster();
        DropwizardTestSupport<HeraldConfiguration> master = cluster.startMaster("bad-input-master");
        cluster.useApplication(master, "a");
        api = ClusterHarness.api(master);
    }

    @AfterEach
    void nothing_was_stored() throws Exception {
        assertThat(Rows.count(database.database(), "SELECT COUNT(*) FROM message")).isZero();
    }

    static Stream<Arguments> badMessages() {
        String big = "x".repeat(64 * 1024 + 1);
        return Stream.of(
                Arguments.of("malformed JSON", "{\"application\":", 400, "$"),
                Arguments.of("empty body", "", 400, "$"),
                Arguments.of("not an object", "[1]", 400, "$"),
                Arguments.of("another application", "{" + OK_FIELDS.replace("\"a\"", "\"b\"") + "}", 400, "application"),
                Arguments.of("missing target", "{\"channel\":\"log\",\"body\":\"b\"}", 400, "target"),
                Arguments.of("missing body", "{\"application\":\"a\",\"channel\":\"log\",\"target\":\"ops\"}", 400, "body"),
                Arguments.of("unknown field", "{" + OK_FIELDS + ",\"colour\":\"red\"}", 400, "colour"),
                Arguments.of("unknown channel", "{\"application\":\"a\",\"channel\":\"fax\",\"target\":\"1\",\"body\":\"b\"}", 400, "channel"),
                Arguments.of("unknown priority", "{" + OK_FIELDS + ",\"priority\":\"asap\"}", 400, "priority"),
                Arguments.of("email target not an address",
                        "{\"application\":\"a\",\"channel\":\"email\",\"target\":\"bob\",\"subject\":\"s\",\"body\":\"b\"}", 400, "target"),
                Arguments.of("webhook target not absolute",
                        "{\"application\":\"a\",\"channel\":\"webhook\",\"target\":\"/hook\",\"body\":\"b\"}", 400, "target"),
                Arguments.of("webhook target not http",
                        "{\"application\":\"a\",\"channel\":\"webhook\",\"target\":\"ftp://x.org/f\",\"body\":\"b\"}", 400, "target"),
                Arguments.of("subject too long", "{" + OK_FIELDS + ",\"subject\":\"" + "s".repeat(256) + "\"}", 400, "subject"),
                Arguments.of("body over 64 KiB",
                        "{\"application\":\"a\",\"channel\":\"log\",\"target\":\"ops\",\"body\":\"" + big + "\"}", 413, "body"),
                Arguments.of("wrong type", "{" + OK_FIELDS + ",\"priority\":1}", 400, "priority"),
                Arguments.of("callbackUrl not http", "{" + OK_FIELDS + ",\"callbackUrl\":\"ftp://x.org/cb\"}", 400, "callbackUrl"),
                Arguments.of("callbackUrl relative", "{" + OK_FIELDS + ",\"callbackUrl\":\"/cb\"}", 400, "callbackUrl"),
                Arguments.of("callbackUrl not a string", "{" + OK_FIELDS + ",\"callbackUrl\":42}", 400, "callbackUrl"),
                webhook("webhook at this machine's admin port", "http://127.0.0.2:8081/tasks/pause-dispatch"),
                webhook("webhook at the cloud metadata address", "http://169.254.169.254/latest/meta-data/"),
                webhook("webhook at a decimal address", "http://2852039166/"),
                webhook("webhook at a hex address", "http://0xa9fea9fe/"),
                webhook("webhook at an octal address", "http://0251.0376.0251.0376/"),
                webhook("webhook at a short address", "http://10.1/"),
                webhook("webhook at an IPv4-mapped IPv6 address", "http://[::ffff:a9fe:a9fe]/"),
                webhook("webhook at an IPv4-compatible IPv6 address", "http://[::192.168.0.1]/"),
                webhook("webhook at a private address", "http://192.168.1.1/hook"),
                webhook("webhook at CGNAT", "http://100.64.0.1/hook"),
                webhook("webhook at IPv6 loopback", "http://[::1]:8080/"),
                webhook("webhook at unique-local IPv6", "http://[fd00::1]/"),
                webhook("webhook at link-local IPv6 with a zone", "http://[fe80::1%25lo]/"),
                webhook("webhook at multicast", "http://224.0.0.1/"),
                webhook("webhook at broadcast", "http://255.255.255.255/"),
                webhook("webhook at 0.0.0.0", "http://0.0.0.0:8080/"),
                webhook("webhook at localhost", "http://localhost:8081/tasks/pause-dispatch"),
                webhook("webhook at a documentation address", "http://203.0.113.7/"),
                Arguments.of("callbackUrl at the metadata address", "{" + OK_FIELDS + ",\"callbackUrl\":\"http://169.254.169.254/cb\"}", 400, "callbackUrl"),
                Arguments.of("callbackUrl at unique-local IPv6", "{" + OK_FIELDS + ",\"callbackUrl\":\"http://[fd12::1]/cb\"}", 400, "callbackUrl"),
                Arguments.of("callbackUrl at a decimal loopback", "{" + OK_FIELDS + ",\"callbackUrl\":\"http://2130706434/cb\"}", 400, "callbackUrl"),
                email("email target with CR LF in a quoted local part", "\\\"a\\r\\n\\tRCPT TO:<x@evil.example>\\\"@example.com"),
                email("email target with a domain literal", "a@[127.0.0.1]"),
                email("email target with a display name", "Bob <bob@example.com>"),
                email("email target with a NUL", "bob\\u0000@example.com"),
                email("email target with a local part over 64 bytes", "a".repeat(65) + "@example.com"),
                Arguments.of("log target with CR LF", "{\"channel\":\"log\",\"target\":\"ops\\r\\n12:00:00 INFO forged\",\"body\":\"b\"}", 400, "target"),
                Arguments.of("idempotencyKey with a control character", "{" + OK_FIELDS + ",\"idempotencyKey\":\"k\\u0007\"}", 400, "idempotencyKey"),
                Arguments.of("idempotencyKey with a lone surrogate", "{" + OK_FIELDS + ",\"idempotencyKey\":\"k\\ud800\"}", 400, "idempotencyKey"),
                Arguments.of("idempotencyKey with a newline", "{" + OK_FIELDS + ",\"idempotencyKey\":\"k\\n\"}", 400, "idempotencyKey"),
                Arguments.of("sendAt without an offset", "{" + OK_FIELDS + ",\"sendAt\":\"2030-01-01T08:00:00\"}", 400, "sendAt"),
                Arguments.of("sendAt as epoch seconds", "{" + OK_FIELDS + ",\"sendAt\":1795390000}", 400, "sendAt"),
                Arguments.of("sendAt more than a year ahead", "{" + OK_FIELDS + ",\"sendAt\":\"2099-01-01T00:00:00Z\"}", 400, "sendAt"),
                Arguments.of("sendAt long past", "{" + OK_FIELDS + ",\"sendAt\":\"2020-01-01T00:00:00Z\"}", 400, "sendAt"),
                Arguments.of("cancelKey empty", "{" + OK_FIELDS + ",\"cancelKey\":\"\"}", 400, "cancelKey"),
                Arguments.of("cancelKey with a control character", "{" + OK_FIELDS + ",\"cancelKey\":\"k\\u0007\"}", 400, "cancelKey"),
                Arguments.of("category outside the safe alphabet", "{" + OK_FIELDS + ",\"category\":\"a b\"}", 400, "category"),
                Arguments.of("critical not a boolean", "{" + OK_FIELDS + ",\"critical\":\"yes\"}", 400, "critical"),
                Arguments.of("recipient with a control character", "{" + OK_FIELDS + ",\"recipient\":\"r\\u0007\"}", 400, "recipient"),
                Arguments.of("cancelKey too long", "{" + OK_FIELDS + ",\"cancelKey\":\"" + "k".repeat(256) + "\"}", 400, "cancelKey"));
    }

    private static Arguments webhook(String name, String target) {
        return Arguments.of(name, "{\"channel\":\"webhook\",\"target\":\"" + target + "\",\"body\":\"b\"}", 400, "target");
    }

    private static Arguments email(String name, String target) {
        return Arguments.of(name, "{\"channel\":\"email\",\"target\":\"" + target + "\",\"subject\":\"s\",\"body\":\"b\"}", 400, "target");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badMessages")
    void a_bad_message_is_refused_with_its_field_named(String name, String body, int status, String field) throws Exception {
        HttpResponse<String> response = cluster.post(api + "/v1/messages", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("code").asInt()).isEqualTo(status);
        assertThat(error.get("field").asText()).isEqualTo(field);
        assertThat(response.body()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void a_batch_with_one_bad_item_is_refused_whole_and_names_the_item() throws Exception {
        String good = "{" + OK_FIELDS + "}";
        String bad = "{\"application\":\"a\",\"channel\":\"webhook\",\"target\":\"nope\",\"body\":\"b\"}";
        HttpResponse<String> response = cluster.post(api + "/v1/messages/batch", "[" + good + "," + good + "," + good + "," + bad + "]");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("field").asText()).isEqualTo("[3].target");
    }

    @Test
    void a_batch_over_1000_items_is_refused() throws Exception {
        String items = String.join(",", java.util.Collections.nCopies(1001, "{" + OK_FIELDS + "}"));
        HttpResponse<String> response = cluster.post(api + "/v1/messages/batch", "[" + items + "]");
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(response.body()).get("field").asText()).isEqualTo("$");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "GET    | /v1/dead-letters?olderThan=yesterday              | olderThan",
        "GET    | /v1/dead-letters?olderThan=-5s                    | olderThan",
        "GET    | /v1/dead-letters?olderThan=99999d                 | olderThan",
        "GET    | /v1/dead-letters?limit=0                          | limit",
        "GET    | /v1/dead-letters?limit=1001                       | limit",
        "GET    | /v1/dead-letters?limit=ten                        | limit",
        "GET    | /v1/dead-letters?cursor=not-a-cursor              | cursor",
        "GET    | /v1/dead-letters?application=                     | application",
        "POST   | /v1/dead-letters/requeue                          | id",
        "POST   | /v1/dead-letters/requeue?id=abc                   | id",
        "POST   | /v1/dead-letters/requeue?id=%2B5                  | id",
        "POST   | /v1/dead-letters/requeue?id=05                    | id",
        "DELETE | /v1/dead-letters                                  | id",
        "DELETE | /v1/dead-letters?olderThan=1y                     | olderThan",
        "GET    | /v1/messages/1?wait=forever                       | wait",
        "GET    | /v1/messages/1?wait=61s                           | wait",
        "GET    | /v1/messages/1?wait=-1s                           | wait",
        "DELETE | /v1/messages                                      | cancelKey",
        "DELETE | /v1/messages?cancelKey=                           | cancelKey",
        "DELETE | /v1/messages?cancelKey=k%07                       | cancelKey",
        "GET    | /v1/recipients/preferences                        | recipient",
        "GET    | /v1/recipients/preferences?recipient=               | recipient",
        "GET    | /v1/recipients/imports/bad%20id                   | id",
    })
    void a_bad_query_parameter_is_a_400_naming_it(String method, String path, String field) throws Exception {
        HttpResponse<String> response = switch (method) {
            case "GET" -> cluster.get(api + path);
            case "POST" -> cluster.post(api + path, "");
            default -> cluster.delete(api + path);
        };
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("field").asText()).isEqualTo(field);
    }

    @Test
    void an_unknown_id_is_404_with_json() throws Exception {
        for (String path : new String[] {"123456789", "not-a-number", "123456789/events", "not-a-number/events"}) {
            HttpResponse<String> response = cluster.get(api + "/v1/messages/" + path);
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(response.body()).get("field").asText()).isEqualTo("id");
        }
        for (String id : new String[] {"123456789", "not-a-number", "05"}) {
            HttpResponse<String> response = cluster.delete(api + "/v1/messages/" + id);
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(response.body()).get("field").asText()).isEqualTo("id");
        }
    }

    @Test
    void a_body_past_16_mib_is_413_naming_the_request() throws Exception {
        String body = "y".repeat(17 * 1024);
        String item = "{\"channel\":\"log\",\"target\":\"ops\",\"body\":\"" + body + "\"}";
        String batch = "[" + String.join(",", java.util.Collections.nCopies(1000, item)) + "]";
        HttpResponse<String> response = cluster.post(api + "/v1/messages/batch", batch);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(JSON.readTree(response.body()).get("field").asText()).isEqualTo("$");
        // The rest of the body was not read, so the connection is closed after the answer, and said so.
        assertThat(response.headers().firstValue("Connection")).hasValue("close");
    }

    @Test
    void a_gzip_body_is_counted_after_inflation_and_a_bomb_is_413() throws Exception {
        java.io.ByteArrayOutputStream compressed = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(compressed)) {
            gzip.write('[');
            byte[] spaces = new byte[1024 * 1024];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 64; i++) {
                gzip.write(spaces);
            }
            gzip.write(']');
        }
        assertThat(compressed.size()).isLessThan(256 * 1024);
        HttpResponse<String> response = cluster.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "/v1/messages/batch"))
                .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(compressed.toByteArray())));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(JSON.readTree(response.body()).get("field").asText()).isEqualTo("$");
    }

    /** Found by TemplateFuzzTest: an empty tag made the engine throw, and the API answer 500. */
    @Test
    void a_template_with_an_empty_tag_is_refused_at_save_naming_the_body() throws Exception {
        HttpResponse<String> response = cluster.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "/v1/templates/log/empty"))
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"body\":\"hello {{}}\"}")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("field").asText()).isEqualTo("body");
    }

    @Test
    void a_template_nested_too_deep_is_refused_at_save_naming_the_body() throws Exception {
        String deep = "{{#a}}".repeat(5_400) + "{{/a}}".repeat(5_400);
        HttpResponse<String> response = cluster.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "/v1/templates/log/deep"))
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"body\":\"" + deep + "\"}")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("field").asText()).isEqualTo("body");
        assertThat(response.body()).contains("nested 5400 deep");
    }
}
