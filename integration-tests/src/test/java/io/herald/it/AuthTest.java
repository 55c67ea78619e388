package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import io.herald.common.config.HeraldConfiguration;
import io.herald.common.testing.Rows;
import io.herald.common.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** API keys: every endpoint needs one, each application sees only its own messages, keys rotate and revoke. */
class AuthTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MESSAGE = "{\"channel\":\"log\",\"target\":\"ops\",\"body\":\"hello\"}";

    @RegisterExtension
    static final ClusterExtension HERALD = new ClusterExtension();

    private static TestDatabase database;
    private static ClusterHarness cluster;
    private static DropwizardTestSupport<HeraldConfiguration> first;
    private static DropwizardTestSupport<HeraldConfiguration> second;

    @BeforeAll
    static void startMasters() throws Exception {
        database = HERALD.database();
        cluster = HERALD.cluster().set("master.apiKeyCacheTtl", "500ms");
        first = cluster.startMaster("auth-master-1");
        second = cluster.startMaster("auth-master-2");
    }

    private static String api(DropwizardTestSupport<HeraldConfiguration> master) {
        return ClusterHarness.api(master);
    }

    private static HttpResponse<String> task(String nameAndQuery) throws Exception {
        return cluster.post(ClusterHarness.admin(first) + "/tasks/" + nameAndQuery, "", null);
    }

    private static long submit(String key) throws Exception {
        HttpResponse<String> response = cluster.post(api(first) + "/v1/messages", MESSAGE, key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).get("id").asLong();
    }

    private static void assertUnauthorized(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"herald\"");
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("code").asInt()).isEqualTo(401);
        assertThat(error.get("field").asText()).isEqualTo("Authorization");
        assertThat(error.get("errors").get(0).get("message").asText()).contains("Authorization: Bearer <key>");
    }

    @Test
    void every_endpoint_of_the_api_refuses_a_request_without_a_key() throws Exception {
        long before = Rows.count(database.database(), "SELECT COUNT(*) FROM message");
        List<RegisteredEndpoints.Endpoint> endpoints = RegisteredEndpoints.of(first);
        assertThat(endpoints).extracting(RegisteredEndpoints.Endpoint::samplePath)
                .contains("/v1/messages", "/v1/messages/batch", "/v1/messages/1", "/v1/messages/1/events", "/v1/cluster");
        // The only endpoints served without a key: the unsubscribe links in emails, whose signed token is the credential.
        assertThat(endpoints).filteredOn(e -> e.samplePath().startsWith("/v1/unsubscribe/"))
                .extracting(e -> e.method() + " " + e.samplePath()).containsExactlyInAnyOrder("GET /v1/unsubscribe/1", "POST /v1/unsubscribe/1",
                        "POST /v1/unsubscribe/1");
        for (RegisteredEndpoints.Endpoint endpoint : endpoints) {
            if (endpoint.samplePath().startsWith("/v1/unsubscribe/")) {
                HttpResponse<String> refused = cluster.send(HttpRequest.newBuilder(URI.create(api(first) + endpoint.samplePath()))
                        .method(endpoint.method(), HttpRequest.BodyPublishers.noBody()), null);
                assertThat(refused.statusCode()).as("a token it did not sign").isEqualTo(400);
                continue;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api(first) + endpoint.samplePath()))
                    .header("Content-Type", "application/json")
                    .method(endpoint.method(), endpoint.method().equals("GET") || endpoint.method().equals("DELETE")
                            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(MESSAGE));
            assertUnauthorized(cluster.send(request, null));
        }
        assertThat(Rows.count(database.database(), "SELECT COUNT(*) FROM message")).isEqualTo(before);
    }

    @ParameterizedTest(name = "Authorization: {0}")
    @ValueSource(strings = {"Bearer hk_0000000000000000000000000000000000000000000", "Bearer not-a-key", "Basic YTpi", "Bearer", "hk_abc"})
    void a_wrong_or_malformed_key_is_refused(String header) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api(first) + "/v1/messages"))
                .header("Content-Type", "application/json").header("Authorization", header)
                .POST(HttpRequest.BodyPublishers.ofString(MESSAGE));
        assertUnauthorized(cluster.send(request, null));
    }

    @Test
    void a_key_in_the_query_string_is_not_accepted() throws Exception {
        String key = cluster.createApplication(first, "query-app").apiKey();
        assertUnauthorized(cluster.get(api(first) + "/v1/cluster?access_token=" + key, null));
        assertThat(cluster.get(api(first) + "/v1/cluster", key).statusCode()).isEqualTo(200);
    }

    @Test
    void an_application_reads_its_own_messages_and_gets_404_for_anothers() throws Exception {
        String mine = cluster.createApplication(first, "reader-a").apiKey();
        String theirs = cluster.createApplication(first, "reader-b").apiKey();
        long id = submit(mine);

        assertThat(cluster.get(api(second) + "/v1/messages/" + id, mine).statusCode()).isEqualTo(200);
        HttpResponse<String> other = cluster.get(api(second) + "/v1/messages/" + id, theirs);
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(other.body()).get("field").asText()).isEqualTo("id");
        assertThat(cluster.get(api(second) + "/v1/messages/" + id + "/events", mine).statusCode()).isEqualTo(200);
        assertThat(cluster.get(api(second) + "/v1/messages/" + id + "/events", theirs).statusCode()).isEqualTo(404);
        assertThat(Rows.count(database.database(), "SELECT COUNT(*) FROM message WHERE id = " + id + " AND application = 'reader-a'"))
                .isEqualTo(1);
    }

    @Test
    void the_application_of_a_message_comes_from_the_key_and_a_different_one_in_the_body_is_refused() throws Exception {
        String key = cluster.createApplication(first, "named").apiKey();
        long id = submit(key);
        HttpResponse<String> same = cluster.post(api(first) + "/v1/messages", MESSAGE.replace("{", "{\"application\":\"named\","), key);
        HttpResponse<String> other = cluster.post(api(first) + "/v1/messages/batch",
                "[" + MESSAGE + "," + MESSAGE.replace("{", "{\"application\":\"someone-else\",") + "]", key);

        assertThat(Rows.count(database.database(), "SELECT COUNT(*) FROM message WHERE id = " + id + " AND application = 'named'")).isEqualTo(1);
        assertThat(same.statusCode()).isEqualTo(202);
        assertThat(other.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(other.body()).get("field").asText()).isEqualTo("[1].application");
        assertThat(Rows.count(database.database(), "SELECT COUNT(*) FROM message WHERE application = 'named'")).isEqualTo(2);
    }

    @Test
    void app_create_prints_the_key_then_the_secret_and_stores_only_the_keys_hash() throws Exception {
        HttpResponse<String> created = task("app-create?name=hashed&ownerEmail=owner@example.org");
        assertThat(created.statusCode()).isEqualTo(200);
        String[] lines = created.body().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).startsWith("hk_").hasSize(46);
        assertThat(lines[1]).startsWith("whsec_").hasSize(50); // Standard Webhooks: whsec_ and 32 bytes in base64

        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(lines[0].getBytes(StandardCharsets.UTF_8)));
        assertThat(Rows.count(database.database(), "SELECT COUNT(*) FROM api_key WHERE application = 'hashed' AND key_hash = '" + sha256 + "'"))
                .isEqualTo(1);
        assertThat(Rows.count(database.database(), "SELECT COUNT(*) FROM api_key WHERE key_hash LIKE '%" + lines[0] + "%'")).isZero();
        assertThat(Rows.count(database.database(), "SELECT COUNT(*) FROM application WHERE name = 'hashed'"
                + " AND signing_secret = '" + lines[1] + "' AND owner_email = 'owner@example.org'")).isEqualTo(1);
        submit(lines[0]);
    }

    @Test
    void app_rotate_secret_prints_a_new_secret_and_keeps_the_old_one_signing_for_the_grace_period() throws Exception {
        String[] created = task("app-create?name=rotor").body().split("\n");
        HttpResponse<String> rotated = task("app-rotate-secret?name=rotor&grace=2h");
        assertThat(rotated.statusCode()).isEqualTo(200);
        String[] lines = rotated.body().split("\n");
        assertThat(lines[0]).startsWith("whsec_").hasSize(50).isNotEqualTo(created[1]);
        assertThat(lines[1]).startsWith("the replaced secret signs too until ");
        assertThat(Rows.count(database.database(), "SELECT COUNT(*) FROM application WHERE name = 'rotor' AND signing_secret = '"
                + lines[0] + "' AND previous_secret = '" + created[1] + "'"
                + " AND previous_secret_until BETWEEN NOW(3) + INTERVAL 119 MINUTE AND NOW(3) + INTERVAL 121 MINUTE")).isEqualTo(1);

        HttpResponse<String> tooLong = task("app-rotate-secret?name=rotor&grace=31d");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("grace must be from 0s to 30d");
        assertThat(task("app-rotate-secret?name=nobody").body()).contains("no application named 'nobody'");
    }

    @Test
    void a_key_rotates_and_a_revoked_key_is_refused_here_at_once_and_on_every_master_within_the_cache_ttl() throws Exception {
        String old = cluster.createApplication(first, "rotating").apiKey();
        // Both masters have checked, and cached, the old key.
        assertThat(cluster.get(api(first) + "/v1/cluster", old).statusCode()).isEqualTo(200);
        assertThat(cluster.get(api(second) + "/v1/cluster", old).statusCode()).isEqualTo(200);

        HttpResponse<String> added = task("app-key?name=rotating");
        assertThat(added.statusCode()).isEqualTo(200);
        String fresh = added.body().trim();
        assertThat(fresh).startsWith("hk_").isNotEqualTo(old);
        submit(fresh);
        submit(old);

        HttpResponse<String> revoked = task("app-revoke?key=" + old);
        assertThat(revoked.body()).startsWith("revoked 1 key of application rotating\n").contains("within 500 ms");
        assertUnauthorized(cluster.post(api(first) + "/v1/messages", MESSAGE, old));
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.get(api(second) + "/v1/cluster", old).statusCode() == 401);
        submit(fresh);

        assertThat(task("app-revoke?name=rotating").body()).startsWith("revoked 1 key(s) of application rotating\n");
        assertUnauthorized(cluster.post(api(first) + "/v1/messages", MESSAGE, fresh));
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.get(api(second) + "/v1/cluster", fresh).statusCode() == 401);
        assertThat(Rows.count(database.database(), "SELECT COUNT(*) FROM api_key WHERE application = 'rotating' AND revoked_at IS NOT NULL"))
                .isEqualTo(2);
    }

    @Test
    void the_application_tasks_refuse_bad_input_with_one_line() throws Exception {
        cluster.createApplication(first, "taken");
        String[][] cases = {
            {"app-create", "error: give name=<application>"},
            {"app-create?name=a%20b", "error: name must be 1 to 64 letters, digits or ._- starting with a letter or digit, not 'a b'"},
            {"app-create?name=" + "x".repeat(65), "error: name must be 1 to 64"},
            {"app-create?name=taken", "error: application 'taken' exists already; app-key?name=taken issues another key"},
            {"app-create?name=ok&ownerEmail=nobody", "error: ownerEmail must be an email address"},
            {"app-create?name=ok&colour=red", "error: unknown parameter 'colour'; allowed: name, ownerEmail"},
            {"app-key?name=missing", "error: no application named 'missing'"},
            {"app-revoke", "error: give either key=<API key> or name=<application>"},
            {"app-revoke?key=a&name=taken", "error: give either key=<API key> or name=<application>"},
            {"app-revoke?key=hk_unknown", "error: no valid API key matches; it is unknown or revoked already"},
            {"app-revoke?name=missing", "error: no application named 'missing'"},
        };
        for (String[] c : cases) {
            HttpResponse<String> response = task(c[0]);
            assertThat(response.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(response.body()).as(c[0]).startsWith(c[1]).endsWith("\n").doesNotContain("Exception");
            assertThat(response.body().strip()).as(c[0]).doesNotContain("\n");
        }
        assertThat(Rows.count(database.database(), "SELECT COUNT(*) FROM application WHERE name = 'ok'")).isZero();
    }
}
