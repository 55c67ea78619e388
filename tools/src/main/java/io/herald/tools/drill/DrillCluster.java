package io.herald.tools.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.tools.cluster.Probes;
import io.herald.tools.cluster.LocalCluster;
import io.herald.tools.cluster.NodeProcess;
import io.herald.tools.cluster.ScratchDatabase;
import io.herald.tools.cluster.TcpProxy;
import io.herald.tools.cluster.ZooKeeperEnsemble;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The drill's cluster: a ZooKeeper ensemble, masters and workers as processes, and for every node a
 * cuttable proxy in front of each ZooKeeper server and one in front of MySQL, so that any one node can
 * be partitioned from either without touching the others.
 */
final class DrillCluster implements AutoCloseable {
    static final int ZK_SERVERS = 3;
    private static final int ZK_BASE_PORT = 2390;
    private static final int FIRST_MASTER_PORT = 8280;
    private static final int FIRST_WORKER_PORT = 8300;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One Herald node and its proxies. */
    static final class Node {
        final String id;
        final boolean master;
        final int httpPort;
        final List<TcpProxy> zooKeeperProxies = new ArrayList<>();
        TcpProxy databaseProxy;
        volatile NodeProcess process;

        Node(String id, boolean master, int httpPort) {
            this.id = id;
            this.master = master;
            this.httpPort = httpPort;
        }

        String api() {
            return "http://127.0.0.1:" + httpPort;
        }

        String admin() {
            return "http://127.0.0.1:" + (httpPort + 1);
        }

        @Override
        public String toString() {
            return id;
        }
    }

    private final LocalCluster local;
    private final ZooKeeperEnsemble zooKeeper;
    private final ScratchDatabase database;
    private final Map<String, Node> nodes = new java.util.LinkedHashMap<>();
    private volatile String apiKey;

    DrillCluster(Path root, Path work, ScratchDatabase database, Map<String, String> env) throws IOException {
        this.local = new LocalCluster(root, work);
        this.database = database;
        this.zooKeeper = new ZooKeeperEnsemble(local, work, ZK_SERVERS, ZK_BASE_PORT);
        local.env("DB_URL", database.url()).env("DB_USER", database.user()).env("DB_PASSWORD", database.password());
        env.forEach(local::env);
    }

    ZooKeeperEnsemble zooKeeper() {
        return zooKeeper;
    }

    LocalCluster local() {
        return local;
    }

    /** Starts the ensemble, migrates the database, then starts every node behind its proxies. */
    void start(int masters, int workers) throws Exception {
        zooKeeper.start();
        System.out.printf("    ZooKeeper ensemble up on ports %d-%d; server %d leads it%n", zooKeeper.clientPort(1),
                zooKeeper.clientPort(ZK_SERVERS), zooKeeper.leader());
        local.migrate();
        for (int i = 1; i <= masters; i++) {
            add(new Node("master-" + i, true, FIRST_MASTER_PORT + 2 * (i - 1)));
        }
        for (int i = 1; i <= workers; i++) {
            add(new Node("worker-" + i, false, FIRST_WORKER_PORT + 2 * (i - 1)));
        }
        for (Node node : nodes.values()) {
            awaitUp(node);
            System.out.printf("    %s up (api %s, admin %s)%n", node.id, node.api(), node.admin());
        }
    }

    private void add(Node node) throws Exception {
        List<Integer> zkPorts = new ArrayList<>();
        for (int s = 1; s <= ZK_SERVERS; s++) {
            TcpProxy proxy = new TcpProxy(node.id + "-zk" + s, zooKeeper.clientPort(s));
            node.zooKeeperProxies.add(proxy);
            zkPorts.add(proxy.port());
        }
        node.databaseProxy = new TcpProxy(node.id + "-db", database.port());
        Map<String, String> env = new HashMap<>();
        env.put("ZK_CONNECT", ZooKeeperEnsemble.connectString(zkPorts));
        env.put("DB_URL", database.urlVia(node.databaseProxy.port()));
        node.process = node.master
                ? local.startMaster(node.id, node.httpPort, "256m", env)
                : local.startWorker(node.id, node.httpPort, "256m", env);
        nodes.put(node.id, node);
    }

    void awaitUp(Node node) throws Exception {
        local.awaitUp(node.process, node.httpPort);
    }

    List<Node> masters() {
        return nodes.values().stream().filter(n -> n.master).toList();
    }

    List<Node> workers() {
        return nodes.values().stream().filter(n -> !n.master).toList();
    }

    List<Node> all() {
        return List.copyOf(nodes.values());
    }

    Node node(String id) {
        return nodes.get(id);
    }

    /** The API key the drill's requests carry (admin tasks need none). */
    void apiKey(String key) {
        apiKey = key;
    }

    /** The leader as a live master reports it, or null while there is none or no master answers. */
    Node leader() {
        for (Node master : masters()) {
            JsonNode view = clusterView(master);
            if (view != null) {
                String leader = view.path("leader").asText("");
                return leader.isEmpty() ? null : nodes.get(leader);
            }
        }
        return null;
    }

    /** A master's own answer to {@code GET /v1/cluster}; null when it does not answer. */
    JsonNode clusterView(Node master) {
        try {
            HttpResponse<String> r = local.get(master.api() + "/v1/cluster", apiKey);
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null; // down or cut off
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    Node awaitLeader(Duration limit) throws Exception {
        Node[] found = new Node[1];
        Probes.awaitCondition(limit, "a leader", () -> (found[0] = leader()) != null);
        return found[0];
    }

    /** SIGTERM, wait for the exit (the node drains and hands over), then start it again and wait until it is up. */
    void restart(Node node) throws Exception {
        node.process.stop();
        relaunch(node);
    }

    /** Starts a killed node again and waits until it is up. */
    void relaunch(Node node) throws Exception {
        node.process = local.restart(node.process);
        awaitUp(node);
    }

    void cutZooKeeper(Node node) {
        node.zooKeeperProxies.forEach(TcpProxy::cut);
    }

    void restoreZooKeeper(Node node) {
        node.zooKeeperProxies.forEach(TcpProxy::restore);
    }

    /** Posts an admin task on a node and returns its answer. */
    String task(Node node, String task) throws Exception {
        HttpResponse<String> r = local.post(node.admin() + "/tasks/" + task, "", local.adminToken());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("task " + task + " on " + node + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    @Override
    public void close() throws Exception {
        local.close();
        for (Node node : nodes.values()) {
            node.zooKeeperProxies.forEach(TcpProxy::close);
            if (node.databaseProxy != null) {
                node.databaseProxy.close();
            }
        }
    }
}
