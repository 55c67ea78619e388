package io.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.herald.common.config.DatabaseConfig;
import io.herald.common.config.HeraldConfiguration;
import io.herald.master.MasterApplication;
import io.herald.worker.WorkerApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.awaitility.Awaitility;

/**
 * Masters and workers as real Dropwizard services in this JVM, on random ports, configured from the
 * repository's own config.yml with test overrides (short leases and timeouts).
 */
final class ClusterHarness implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CONFIG = Path.of("..", "config.yml");
    /** The admin token every node of the harness gets; requests to an admin port carry it. */
    static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef0123456789";
    /** The key every node of the harness signs and checks unsubscribe links with. */
    static final String UNSUBSCRIBE_KEY = "test-unsubscribe-key-0123456789abcdef012345";

    private final Map<String, String> settings = new HashMap<>();
    private Path config = CONFIG;
    private final List<DropwizardTestSupport<HeraldConfiguration>> nodes = new ArrayList<>();
    private final java.util.Set<Integer> adminPorts = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile String apiKey;

    /** What app-create printed: the API key, then the signing secret. */
    record Credentials(String apiKey, String signingSecret) {}

    ClusterHarness(DatabaseConfig database, String zooKeeper) {
        if (!Files.exists(CONFIG)) {
            throw new IllegalStateException("config.yml not found at " + CONFIG.toAbsolutePath());
        }
        settings.put("database.url", database.url);
        settings.put("database.user", database.user);
        settings.put("database.password", database.password);
        settings.put("zookeeper.connect", zooKeeper);
        settings.put("zookeeper.sessionTimeout", "4s");
        settings.put("master.stalledTransactionTimeout", "2s");
        settings.put("master.pollInterval", "20ms");
        settings.put("master.reapInterval", "200ms");
        settings.put("master.dispatchLease", "5s");
        settings.put("worker.retryBackoffBase", "50ms");
        settings.put("worker.retryBackoffMax", "500ms");
        // Webhooks get as many attempts as email (5), quickly; the longest step (Retry-After's cap) is 1 s.
        settings.put("webhook.retrySchedule", "50ms, 100ms, 200ms, 1s");
        settings.put("logging.level", "WARN");
        settings.put("admin.token", ADMIN_TOKEN);
        settings.put("unsubscribe.key", UNSUBSCRIBE_KEY);
        // The tests' receivers listen on 127.0.0.1.
        settings.put("webhook.allowNetworks", "127.0.0.1/32");
        // No rate limit unless a test sets one per application (app-rate-limit).
        settings.put("api.requestsPerSecond", "0");
    }

    /**
     * The repository's config.yml with {@code lines} added to the section {@code section} (a top-level key, such as
     * {@code smtp}), for nodes started from now on: for settings an override cannot give, such as a list of objects.
     */
    ClusterHarness addToSection(String section, String lines) throws java.io.IOException {
        String yaml = Files.readString(CONFIG);
        String header = "\n" + section + ":\n";
        int at = yaml.indexOf(header);
        if (at < 0) {
            throw new IllegalArgumentException("config.yml has no section " + section);
        }
        Path written = Files.createTempFile("herald-config-", ".yml");
        written.toFile().deleteOnExit();
        int end = at + header.length();
        Files.writeString(written, yaml.substring(0, end) + lines + yaml.substring(end));
        config = written;
        return this;
    }

    /** Overrides one config.yml setting for nodes started from now on. */
    ClusterHarness set(String key, String value) {
        settings.put(key, value);
        return this;
    }

    DropwizardTestSupport<HeraldConfiguration> startMaster(String id) throws Exception {
        return start(MasterApplication.class, id);
    }

    DropwizardTestSupport<HeraldConfiguration> startWorker(String id) throws Exception {
        return start(WorkerApplication.class, id);
    }

    private DropwizardTestSupport<HeraldConfiguration> start(
            Class<? extends io.dropwizard.core.Application<HeraldConfiguration>> app, String id) throws Exception {
        String prefix = "herald-" + id;
        List<ConfigOverride> overrides = new ArrayList<>();
        overrides.add(ConfigOverride.randomPorts(prefix));
        overrides.add(ConfigOverride.config(prefix, "nodeId", id));
        settings.forEach((k, v) -> overrides.add(ConfigOverride.config(prefix, k, v)));
        DropwizardTestSupport<HeraldConfiguration> node = new DropwizardTestSupport<>(
                app, config.toString(), prefix, overrides.toArray(ConfigOverride[]::new));
        node.before();
        nodes.add(node);
        adminPorts.add(node.getAdminPort());
        return node;
    }

    /**
     * The smallest cluster that sends: master {@code <name>-master}, then worker {@code <name>-worker},
     * then {@code application}, whose key every request carries from now on. Returns the master.
     */
    DropwizardTestSupport<HeraldConfiguration> startMasterAndWorker(String name, String application) throws Exception {
        DropwizardTestSupport<HeraldConfiguration> master = startMaster(name + "-master");
        startWorker(name + "-worker");
        useApplication(master, application);
        return master;
    }

    /** Stops a node the way an operator would (SIGTERM): it drains and hands over. */
    void stop(DropwizardTestSupport<HeraldConfiguration> node) {
        node.after();
        nodes.remove(node);
    }

    static String api(DropwizardTestSupport<HeraldConfiguration> node) {
        return "http://127.0.0.1:" + node.getLocalPort();
    }

    static String admin(DropwizardTestSupport<HeraldConfiguration> node) {
        return "http://127.0.0.1:" + node.getAdminPort();
    }

    /** Creates an application through the master's admin task {@code app-create}, as an operator would. */
    Credentials createApplication(DropwizardTestSupport<HeraldConfiguration> master, String name) throws Exception {
        HttpResponse<String> response = post(admin(master) + "/tasks/app-create?name=" + name, "", null);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("app-create answered " + response.statusCode() + ": " + response.body());
        }
        String[] lines = response.body().split("\n");
        return new Credentials(lines[0], lines[1]);
    }

    /** Creates an application and sends its key with every request from now on. */
    Credentials useApplication(DropwizardTestSupport<HeraldConfiguration> master, String name) throws Exception {
        Credentials credentials = createApplication(master, name);
        apiKey = credentials.apiKey();
        return credentials;
    }

    /** Submits one message with the current application's key to {@code api}; it must be accepted (202). Answers its id. */
    long submit(String api, String json) throws Exception {
        HttpResponse<String> response = post(api + "/v1/messages", json);
        if (response.statusCode() != 202) {
            throw new AssertionError("POST /v1/messages answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).get("id").asLong();
    }

    /** {@code GET /v1/messages/{id}} with the current application's key, as JSON. */
    JsonNode status(String api, long id) throws Exception {
        return JSON.readTree(get(api + "/v1/messages/" + id).body());
    }

    /** POST with the current application's key. */
    HttpResponse<String> post(String url, String body) throws Exception {
        return post(url, body, apiKey);
    }

    /** POST with {@code key} as the bearer token, or with no Authorization header when it is null. */
    HttpResponse<String> post(String url, String body, String key) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), key);
    }

    /** PUT of a JSON body with the current application's key. */
    HttpResponse<String> put(String url, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Waits until {@code api}'s {@code /v1/cluster} names a leader among {@code masters}, and returns it. */
    String awaitLeader(String api, Set<String> masters) {
        Supplier<String> leader = () -> {
            try {
                return new ObjectMapper().readTree(get(api + "/v1/cluster").body()).get("leader").asText(null);
            } catch (Exception e) {
                return null;
            }
        };
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> masters.contains(leader.get()));
        return leader.get();
    }

    HttpResponse<String> delete(String url) throws Exception {
        return delete(url, apiKey);
    }

    HttpResponse<String> delete(String url, String key) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).DELETE(), key);
    }

    HttpResponse<String> get(String url) throws Exception {
        return get(url, apiKey);
    }

    HttpResponse<String> get(String url, String key) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), key);
    }

    /** Sends with the current application's key. */
    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return send(request, apiKey);
    }

    /** With {@code key} as the bearer token; a request to a node's admin port carries the admin token instead. */
    HttpResponse<String> send(HttpRequest.Builder request, String key) throws Exception {
        HttpRequest built = request.build();
        String token = adminPorts.contains(built.uri().getPort()) ? ADMIN_TOKEN : key;
        HttpRequest.Builder copy = HttpRequest.newBuilder(built, (name, value) -> true);
        if (token != null) {
            copy.header("Authorization", "Bearer " + token);
        }
        return http.send(copy.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends exactly as given: no key, no admin token. */
    HttpResponse<String> sendRaw(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Running nodes, in start order. */
    List<DropwizardTestSupport<HeraldConfiguration>> nodes() {
        return List.copyOf(nodes);
    }

    @Override
    public void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).after();
        }
        nodes.clear();
    }
}
