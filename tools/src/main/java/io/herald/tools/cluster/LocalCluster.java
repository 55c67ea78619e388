package io.herald.tools.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A Herald cluster of real processes on this machine: a ZooKeeper server, masters and workers, each
 * its own JVM. Used by {@code bin/herald up}, the benchmark and the drills.
 *
 * <p>Every process starts with a clean environment: the few variables of this JVM's that a JVM needs
 * ({@link #INHERITED}), then the cluster's ({@link #env}), then its own. So a node sees exactly what
 * its tool chose to give it, and a stray variable in the caller's shell changes nothing.
 */
public final class LocalCluster implements AutoCloseable {
    /** What every process keeps from this JVM's environment. */
    public static final Set<String> INHERITED = Set.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TZ", "TMPDIR");

    /**
     * The JIT settings of every Herald node, here and in deploy/ (the images' jvmFlags in pom.xml, the
     * systemd units): JDK 11's inlining limits instead of JDK 17's deeper ones. A message's path crosses
     * Jetty, Connector/J, Jackson and Curator, and with the deeper limits C2 compiled methods such as
     * Connector/J's statement parser for over a second each: on 2 cores a worker spent 3.6 of its 5.3 CPU
     * seconds of a 50,000-message drain compiling, and 1.6 to 2.1 with these, at the same cost per
     * message under steady load (docs/PERFORMANCE.md).
     */
    public static final List<String> COMPILER_OPTIONS = List.of("-XX:MaxInlineLevel=9", "-XX:InlineSmallCode=1000",
            "-XX:FreqInlineSize=150");
    /** Every local launcher's node options (bin/herald up, the bench, the drill): the parallel collector, {@link #COMPILER_OPTIONS}. */
    public static final List<String> NODE_JVM_OPTIONS = Stream.concat(Stream.of("-XX:+UseParallelGC"), COMPILER_OPTIONS.stream()).toList();

    private final Path root;
    private final Path work;
    private final String java;
    private final Map<String, String> baseEnv = new HashMap<>();
    private Function<String, List<String>> nodeJvmOptions = id -> NODE_JVM_OPTIONS;
    private final List<NodeProcess> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private String zooKeeperConnect;
    private boolean closed;

    /**
     * Every node gets the same fresh admin token and unsubscribe key, and webhooks and callbacks may reach only
     * this machine's 127.0.0.1 (where the tools' receivers listen); {@link #env} overrides any of them.
     */
    public LocalCluster(Path root, Path work) throws IOException {
        this.root = root;
        this.work = work;
        this.java = ProcessHandle.current().info().command().orElse("java");
        Files.createDirectories(work.resolve("logs"));
        baseEnv.put("ADMIN_TOKEN", newSecret());
        baseEnv.put("UNSUBSCRIBE_KEY", newSecret());
        baseEnv.put("WEBHOOK_ALLOW_NETWORKS", "127.0.0.1/32");
    }

    /** 32 random bytes in hex: an admin token or an unsubscribe key. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The bearer token the nodes' admin ports want (ADMIN_TOKEN in their environment). */
    public String adminToken() {
        return baseEnv.get("ADMIN_TOKEN");
    }

    /** Environment every Herald node gets (database, tuning); ZK_CONNECT, NODE_ID and ports are added per node. */
    public LocalCluster env(String name, String value) {
        baseEnv.put(name, value);
        return this;
    }

    /** JVM options per Herald node, by node id (default: {@link #NODE_JVM_OPTIONS}); with a flight recording, say. */
    public LocalCluster nodeJvmOptions(Function<String, List<String>> optionsById) {
        nodeJvmOptions = optionsById;
        return this;
    }

    public NodeProcess startZooKeeper(int port) throws Exception {
        zooKeeperConnect = "127.0.0.1:" + port;
        Path data = work.resolve("zookeeper");
        deleteRecursively(data);
        Files.createDirectories(data);
        Path config = work.resolve("zoo.cfg");
        ZooKeeperConfig.write(config, data, port, List.of());
        NodeProcess zk = startJava("zookeeper", "256m", List.of("-cp", toolsJar(),
                "org.apache.zookeeper.server.ZooKeeperServerMain", config.toString()));
        Probes.awaitCondition(Duration.ofSeconds(30), "ZooKeeper on port " + port, () -> Probes.zooKeeperAnswers(port));
        return zk;
    }

    /** The ZooKeeper connect string nodes get unless their own environment says otherwise. */
    public LocalCluster zooKeeperConnect(String connect) {
        zooKeeperConnect = connect;
        return this;
    }

    /** A JVM running something from this project's jars (ZooKeeper servers, for instance). */
    public NodeProcess startJava(String name, String heap, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap));
        command.addAll(args);
        return start(name, Map.of(), command);
    }

    public String toolsJar() {
        return jar("tools/target/herald-tools.jar");
    }

    /**
     * Runs {@code db migrate --create-database} with the cluster's environment and returns what it
     * printed (the schema version); its log goes to logs/migrate.log.
     */
    public String migrate() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar("sender-master/target/sender-master.jar"), "db",
                "migrate", "--create-database", root.resolve("config.yml").toString())
                .redirectError(work.resolve("logs/migrate.log").toFile());
        environment(builder, baseEnv);
        Process process = builder.start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("db migrate failed; see " + work.resolve("logs/migrate.log"));
        }
        return printed;
    }

    public NodeProcess startMaster(String id, int httpPort, String heap) throws Exception {
        return startMaster(id, httpPort, heap, Map.of());
    }

    public NodeProcess startWorker(String id, int httpPort, String heap) throws Exception {
        return startWorker(id, httpPort, heap, Map.of());
    }

    /** A master whose environment adds {@code nodeEnv} to the cluster's (to route it through proxies, say). */
    public NodeProcess startMaster(String id, int httpPort, String heap, Map<String, String> nodeEnv) throws Exception {
        return startNode(id, "sender-master/target/sender-master.jar", httpPort, heap, nodeEnv);
    }

    public NodeProcess startWorker(String id, int httpPort, String heap, Map<String, String> nodeEnv) throws Exception {
        return startNode(id, "sender-worker/target/sender-worker.jar", httpPort, heap, nodeEnv);
    }

    private NodeProcess startNode(String id, String jar, int httpPort, String heap, Map<String, String> nodeEnv)
            throws Exception {
        Map<String, String> env = new HashMap<>(baseEnv);
        env.put("NODE_ID", id);
        env.put("HTTP_PORT", Integer.toString(httpPort));
        env.put("ADMIN_PORT", Integer.toString(httpPort + 1));
        env.put("ZK_CONNECT", zooKeeperConnect);
        env.putAll(nodeEnv);
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap));
        command.addAll(nodeJvmOptions.apply(id));
        command.addAll(List.of("-jar", jar(jar), "server", root.resolve("config.yml").toString()));
        return start(id, env, command);
    }

    /** Starts a stopped or killed process again with the same command and environment; its log is appended to. */
    public synchronized NodeProcess restart(NodeProcess old) throws IOException {
        if (old.isAlive()) {
            throw new IllegalStateException(old.name() + " is still running");
        }
        if (closed) {
            throw new IllegalStateException("the cluster is stopping; " + old.name() + " was not restarted");
        }
        ProcessBuilder builder = old.builder().redirectOutput(ProcessBuilder.Redirect.appendTo(old.log().toFile()));
        NodeProcess node = new NodeProcess(old.name(), builder, builder.start(), old.log());
        processes.add(node);
        return node;
    }

    /** Waits until the node's admin port answers /ping. */
    public void awaitUp(NodeProcess node, int httpPort) throws Exception {
        String ping = "http://127.0.0.1:" + (httpPort + 1) + "/ping";
        Probes.awaitCondition(Duration.ofSeconds(90), node.name(), () -> {
            if (!node.isAlive()) {
                throw new IllegalStateException(node.name() + " exited; see " + node.log());
            }
            return get(ping).statusCode() == 200;
        });
    }

    private synchronized NodeProcess start(String name, Map<String, String> env, List<String> command) throws IOException {
        if (closed) {
            throw new IllegalStateException("the cluster is stopping; " + name + " was not started");
        }
        Path log = work.resolve("logs/" + name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        environment(builder, env);
        NodeProcess node = new NodeProcess(name, builder, builder.start(), log);
        processes.add(node);
        return node;
    }

    private static void environment(ProcessBuilder builder, Map<String, String> env) {
        builder.environment().keySet().retainAll(INHERITED);
        builder.environment().putAll(env);
    }

    public synchronized List<NodeProcess> processes() {
        return List.copyOf(processes);
    }

    public void sampleAll() {
        processes().forEach(NodeProcess::sample);
    }

    /**
     * Creates an application through a master's admin task {@code app-create} and returns its API key
     * (the first line of the answer). Tools reach Herald only over HTTP, as operators do.
     */
    public String createApplication(String adminUrl, String name) throws IOException, InterruptedException {
        HttpResponse<String> response = post(adminUrl + "/tasks/app-create?name=" + name, "", adminToken());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("app-create?name=" + name + " answered " + response.statusCode() + ": " + response.body().strip());
        }
        return response.body().lines().findFirst().orElseThrow();
    }

    public HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return get(url, null);
    }

    /** GET with {@code apiKey} as the bearer token (null: no Authorization header). */
    public HttpResponse<String> get(String url, String apiKey) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET(), apiKey);
    }

    /** POST JSON with {@code apiKey} as the bearer token (an API key, or {@link #adminToken()} for a task; null: none). */
    public HttpResponse<String> post(String url, String body, String apiKey) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), apiKey);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String apiKey) throws IOException, InterruptedException {
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String jar(String relative) {
        Path jar = root.resolve(relative);
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing; build with 'mvn -B -DskipTests package'");
        }
        return jar.toString();
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * Stops every process in the reverse of start order (workers, then masters, then ZooKeeper, when
     * they were started in that order), each with SIGTERM and {@link NodeProcess#STOP_GRACE}. No
     * process starts once this has begun. Idempotent.
     */
    @Override
    public void close() throws InterruptedException {
        List<NodeProcess> started;
        synchronized (this) {
            closed = true;
            started = List.copyOf(processes);
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).stop();
        }
    }
}
