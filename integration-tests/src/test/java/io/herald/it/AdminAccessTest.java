package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import io.herald.common.config.HeraldConfiguration;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The admin port runs nothing for a caller without the admin token, and answers only to this machine's names. */
class AdminAccessTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ClusterExtension HERALD = new ClusterExtension();

    private static ClusterHarness cluster;
    private static DropwizardTestSupport<HeraldConfiguration> master;
    private static String admin;

    @BeforeAll
    static void startMaster() throws Exception {
        cluster = HERALD.cluster();
        master = cluster.startMasterAndWorker("admin-access", "tenant");
        admin = ClusterHarness.admin(master);
    }

    private static HttpResponse<String> raw(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(admin + path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return cluster.sendRaw(request.build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer ", "Bearer wrong-token-wrong-token-wrong-token-0000", "Basic dXNlcjpwYXNz",
        "Bearer " + ClusterHarness.ADMIN_TOKEN + "x", "bearer" + ClusterHarness.ADMIN_TOKEN})
    void a_task_without_the_right_token_is_401_with_one_line_and_does_nothing(String authorization) throws Exception {
        HttpResponse<String> response = raw("POST", "/tasks/pause-dispatch", authorization.isEmpty() ? null : authorization);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("admin port: send Authorization: Bearer <admin.token>\n");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        JsonNode status = JSON.readTree(cluster.get(ClusterHarness.api(master) + "/v1/cluster").body());
        assertThat(status.get("leader").isNull()).isFalse();
    }

    @Test
    void a_task_with_the_token_runs() throws Exception {
        HttpResponse<String> response = raw("POST", "/tasks/app-create?name=made-by-operator", "Bearer " + ClusterHarness.ADMIN_TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body().lines()).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/healthcheck", "/ping", "/metrics", "/prometheus"})
    void health_and_metrics_stay_readable_without_the_token(String path) throws Exception {
        assertThat(raw("GET", path, null).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/threads", "/tasks/gc", "/pprof", "/"})
    void everything_else_needs_the_token(String path) throws Exception {
        assertThat(raw("GET", path, null).statusCode()).isEqualTo(401);
    }

    @Test
    void a_request_naming_another_host_is_refused_even_with_the_token() throws Exception {
        String answer = rawHttp("POST /tasks/pause-dispatch HTTP/1.1\r\nHost: rebind.attacker.example:" + master.getAdminPort()
                + "\r\nAuthorization: Bearer " + ClusterHarness.ADMIN_TOKEN + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 403").contains("admin port: Host 'rebind.attacker.example:");
        String local = rawHttp("GET /ping HTTP/1.1\r\nHost: localhost:" + master.getAdminPort() + "\r\nConnection: close\r\n\r\n");
        assertThat(local).startsWith("HTTP/1.1 200");
    }

    @Test
    void the_api_shows_ids_and_roles_only_and_the_admin_task_shows_addresses() throws Exception {
        JsonNode view = JSON.readTree(cluster.get(ClusterHarness.api(master) + "/v1/cluster").body());
        assertThat(view.get("leader").asText()).isEqualTo("admin-access-master");
        assertThat(view.get("masters").get(0).fieldNames()).toIterable().containsExactly("id", "role");
        assertThat(view.get("workers").get(0).get("id").asText()).isEqualTo("admin-access-worker");
        assertThat(view.toString()).doesNotContain(Integer.toString(master.getAdminPort()));

        HttpResponse<String> full = raw("POST", "/tasks/cluster", "Bearer " + ClusterHarness.ADMIN_TOKEN);
        assertThat(full.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(full.body()).get("masters").get(0).get("admin").asText()).contains(Integer.toString(master.getAdminPort()));
    }

    private static String rawHttp(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", master.getAdminPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
