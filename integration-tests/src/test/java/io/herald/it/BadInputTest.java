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
                Arguments.of("callbackUrl not a string", "{" + OK_FIELDS + ",\"callbackUrl\":42}", 400, "callbackUrl"));
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
        "DELETE | /v1/dead-letters                                  | id",
        "DELETE | /v1/dead-letters?olderThan=1y                     | olderThan",
        "GET    | /v1/messages/1?wait=forever                       | wait",
        "GET    | /v1/messages/1?wait=61s                           | wait",
        "GET    | /v1/messages/1?wait=-1s                           | wait",
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
    }
}
