package io.herald.tools.up;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.tools.cli.Args;
import io.herald.tools.cluster.Probes;
import io.herald.tools.cluster.DatabaseServer;
import io.herald.tools.cluster.LocalCluster;
import io.herald.tools.cluster.NodeProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code bin/herald up}: a ZooKeeper server, two masters and two workers as processes on this machine,
 * against the database {@link DatabaseServer} chooses (an embedded MariaDB where no server answers);
 * then the application {@code demo} and five demo messages through the log channel. It runs until
 * SIGTERM or SIGINT, then stops the workers, the masters, ZooKeeper and last the embedded database.
 */
public final class Up {
    private static final String HEAP = "256m";
    private static final Duration DELIVERY_WAIT = Duration.ofSeconds(30);

    private final UpOptions options;
    private final Path state;
    private final Map<String, String> environment;
    private final List<Node> nodes = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CountDownLatch stopDone = new CountDownLatch(1);
    private DatabaseServer database;
    private LocalCluster cluster;
    private String apiKey;

    /** One node of the cluster: its process and its ports (admin is api + 1). */
    private record Node(String id, boolean master, int api, NodeProcess process) {
        String apiUrl() {
            return "http://127.0.0.1:" + api;
        }

        String adminUrl() {
            return "http://127.0.0.1:" + (api + 1);
        }
    }

    Up(UpOptions options, Map<String, String> environment) {
        this.options = options;
        this.state = options.work;
        this.environment = environment;
    }

    public static void main(String[] args) {
        try {
            new Up(UpOptions.parse(args), System.getenv()).runUntilStopped();
        } catch (Args.UsageException e) {
            System.err.println("herald: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println("herald: " + e.getMessage());
            System.exit(1);
        }
    }

    private void runUntilStopped() throws Exception {
        checkPortsFree();
        Thread hook = new Thread(this::stopQuietly, "herald-up-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            start();
        } catch (Exception e) {
            if (stopped.get()) { // a signal came during the start, and the hook is stopping what was started
                stopDone.await();
                return;
            }
            Runtime.getRuntime().removeShutdownHook(hook);
            stop();
            throw e;
        }
        new CountDownLatch(1).await(); // until SIGTERM or SIGINT runs the hook
    }

    private void checkPortsFree() {
        Map<Integer, String> needed = new LinkedHashMap<>();
        needed.put(options.zooKeeperPort, "ZooKeeper");
        for (NodeSpec spec : options.nodes()) {
            needed.put(spec.api(), spec.id());
            needed.put(spec.api() + 1, spec.id());
        }
        needed.forEach((port, who) -> {
            if (Probes.portInUse(port)) {
                throw new IllegalStateException("port " + port + " is in use (needed by " + who + "); stop whatever holds it");
            }
        });
    }

    private void start() throws Exception {
        synchronized (this) { // a stop that comes now waits for the database, so an embedded one is not left running
            database = DatabaseServer.choose(environment, state);
            cluster = new LocalCluster(options.root, state);
        }
        say("database: " + database.description() + (database.embedded() ? "; data in " + relative(state.resolve("db")) : ""));
        cluster.env("DB_URL", database.url()).env("DB_USER", database.user()).env("DB_PASSWORD", database.password());
        NodeVariables.passedToNodes(options.root.resolve("config.yml")).stream().filter(environment::containsKey)
                .forEach(name -> cluster.env(name, environment.get(name)));

        announceAdminToken();
        unsubscribeLinks();

        say("starting ZooKeeper on 127.0.0.1:" + options.zooKeeperPort);
        cluster.startZooKeeper(options.zooKeeperPort);
        say("migrating the database at " + database.url());
        System.out.println("    " + cluster.migrate());
        startNodes();
        demoApplication();
        writeApiKey();
        printNodes(awaitLeader());
        sendDemoMessages();
        Tips.print(firstMaster().apiUrl(), firstMaster().adminUrl(), apiKey, cluster.adminToken());
    }

    /**
     * The admin ports want a bearer token: ADMIN_TOKEN from the caller's environment when set (passed
     * on like every variable config.yml reads), else the cluster's generated one, written where the
     * operator can read it again.
     */
    private void announceAdminToken() throws IOException {
        if (environment.containsKey("ADMIN_TOKEN")) {
            say("admin token: ADMIN_TOKEN from your environment");
            return;
        }
        Path file = state.resolve("admin-token");
        Files.createDirectories(state);
        Files.writeString(file, cluster.adminToken() + "\n");
        say("admin token (also in " + relative(file) + "): " + cluster.adminToken());
    }

    /**
     * Emails carry unsubscribe links signed with UNSUBSCRIBE_KEY and pointing at the first master: the caller's
     * UNSUBSCRIBE_KEY and UNSUBSCRIBE_BASE_URL when set, else a key kept in .herald/local/unsubscribe-key (made
     * once, so links in mail already sent still work after the next up) and this cluster's first master.
     */
    private void unsubscribeLinks() throws IOException {
        if (!environment.containsKey("UNSUBSCRIBE_KEY")) {
            Path file = state.resolve("unsubscribe-key");
            Files.createDirectories(state);
            if (!Files.exists(file)) {
                Files.writeString(file, LocalCluster.newSecret() + "\n");
            }
            cluster.env("UNSUBSCRIBE_KEY", Files.readString(file).strip());
            say("unsubscribe key: in " + relative(file) + " (set UNSUBSCRIBE_KEY to use your own)");
        }
        if (!environment.containsKey("UNSUBSCRIBE_BASE_URL")) {
            cluster.env("UNSUBSCRIBE_BASE_URL", "http://127.0.0.1:" + options.nodes().get(0).api());
        }
    }

    private void startNodes() throws Exception {
        say("starting two masters and two workers");
        for (NodeSpec spec : options.nodes()) {
            NodeProcess process = spec.master()
                    ? cluster.startMaster(spec.id(), spec.api(), HEAP)
                    : cluster.startWorker(spec.id(), spec.api(), HEAP);
            nodes.add(new Node(spec.id(), spec.master(), spec.api(), process));
        }
        for (Node node : nodes) {
            cluster.awaitUp(node.process(), node.api());
            System.out.println("    " + node.id() + " is up");
        }
    }

    private Node firstMaster() {
        return nodes.get(0);
    }

    /** Creates the application "demo", or issues it a new key when an earlier run (same database) made it. */
    private void demoApplication() throws Exception {
        HttpResponse<String> created = cluster.post(firstMaster().adminUrl() + "/tasks/app-create?name=demo", "", cluster.adminToken());
        if (created.statusCode() == 200) {
            List<String> lines = created.body().lines().toList();
            say("created the application \"demo\"");
            System.out.println("    API key:        " + lines.get(0));
            System.out.println("    signing secret: " + lines.get(1) + "   (verifies status callbacks)");
            apiKey = lines.get(0);
            return;
        }
        HttpResponse<String> key = cluster.post(firstMaster().adminUrl() + "/tasks/app-key?name=demo", "", cluster.adminToken());
        if (key.statusCode() != 200) {
            throw new IllegalStateException("could not create the demo application (" + created.body().strip() + "); see "
                    + firstMaster().process().log());
        }
        apiKey = key.body().lines().findFirst().orElseThrow();
        say("the application \"demo\" exists already; issued it a new key");
        System.out.println("    API key:        " + apiKey);
    }

    /** Where bin/herald's CLI finds the demo key when HERALD_API_KEY is unset (README, "The command line"). */
    private void writeApiKey() throws IOException {
        Files.createDirectories(state);
        Files.writeString(state.resolve("api-key"), apiKey + "\n");
    }

    private String awaitLeader() throws Exception {
        String[] leader = new String[1];
        Probes.awaitCondition(Duration.ofSeconds(30), "leader election", () -> {
            JsonNode view = json.readTree(cluster.get(firstMaster().apiUrl() + "/v1/cluster", apiKey).body());
            leader[0] = view.path("leader").asText("");
            return leader[0].startsWith("master-");
        });
        return leader[0];
    }

    private void printNodes(String leader) {
        System.out.println();
        System.out.printf("    %-10s %-8s %-24s %-24s %s%n", "NODE", "ROLE", "API", "ADMIN", "LOG");
        for (Node node : nodes) {
            String role = !node.master() ? "worker" : node.id().equals(leader) ? "leader" : "standby";
            System.out.printf("    %-10s %-8s %-24s %-24s %s%n", node.id(), role, node.apiUrl(), node.adminUrl(),
                    relative(node.process().log()));
        }
        System.out.println();
    }

    private void sendDemoMessages() throws Exception {
        say("sending demo messages through the log channel");
        List<Long> ids = DemoMessages.send(cluster, firstMaster().apiUrl(), apiKey);
        Map<Long, JsonNode> finished = new LinkedHashMap<>();
        for (long id : ids) {
            Probes.awaitCondition(DELIVERY_WAIT, "delivery of message " + id, () -> {
                JsonNode view = json.readTree(cluster.get(firstMaster().apiUrl() + "/v1/messages/" + id, apiKey).body());
                finished.put(id, view);
                return view.path("status").asText().equals("sent");
            });
        }
        System.out.printf("    %-6s %-8s %-9s %s%n", "ID", "STATUS", "ATTEMPTS", "DELIVERED BY");
        for (long id : ids) {
            JsonNode view = finished.get(id);
            System.out.printf("    %-6s %-8s %-9s %s%n", id, view.path("status").asText(), view.path("attempts").asText(),
                    DemoMessages.deliveredBy(id, nodes.stream().filter(n -> !n.master()).map(Node::process).toList()));
        }
        System.out.println();
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (Exception e) {
            System.err.println("herald: stopping failed: " + e.getMessage());
        }
    }

    /** Workers, masters, ZooKeeper (the reverse of start order), then the embedded database, if any. Once. */
    private void stop() throws InterruptedException {
        if (!stopped.compareAndSet(false, true)) {
            stopDone.await();
            return;
        }
        LocalCluster cluster;
        DatabaseServer database;
        synchronized (this) {
            cluster = this.cluster;
            database = this.database;
        }
        try {
            if (cluster != null) {
                System.out.println();
                say("stopping the cluster");
                cluster.close();
            }
            if (database != null && database.embedded()) {
                database.close();
                System.out.println("    stopped the embedded MariaDB; its data stays in " + relative(state.resolve("db")));
            }
            if (cluster != null) {
                say("stopped; logs are in " + relative(state.resolve("logs")));
            }
        } finally {
            stopDone.countDown();
        }
    }

    /** Paths under the repository as the README writes them (.herald/local/...), others in full. */
    private Path relative(Path path) {
        return path.startsWith(options.root) ? options.root.relativize(path) : path;
    }

    static void say(String line) {
        System.out.println("\033[1m==>\033[0m " + line);
    }
}
