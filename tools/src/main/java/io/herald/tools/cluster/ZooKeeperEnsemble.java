package io.herald.tools.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A ZooKeeper ensemble of real server processes (QuorumPeerMain) on loopback: server {@code i}
 * (from 1) listens for clients on {@code basePort + i}, for peers on {@code basePort + 100 + i} and
 * {@code basePort + 200 + i}, and for JMX on {@code basePort + 300 + i}. JMX is how a drill expires one
 * client's session on the server side, exactly as the server does when it stops hearing from a client.
 */
public final class ZooKeeperEnsemble implements AutoCloseable {
    private final LocalCluster cluster;
    private final Path work;
    private final int size;
    private final int basePort;
    private final NodeProcess[] servers;

    public ZooKeeperEnsemble(LocalCluster cluster, Path work, int size, int basePort) {
        this.cluster = cluster;
        this.work = work;
        this.size = size;
        this.basePort = basePort;
        this.servers = new NodeProcess[size + 1];
    }

    public int size() {
        return size;
    }

    public int clientPort(int server) {
        return basePort + server;
    }

    /** Writes each server's configuration and data directory afresh, then starts all and waits for a quorum. */
    public void start() throws Exception {
        for (int i = 1; i <= size; i++) {
            Path data = work.resolve("zk" + i);
            LocalCluster.deleteRecursively(data);
            Files.createDirectories(data);
            Files.writeString(data.resolve("myid"), Integer.toString(i));
            ZooKeeperConfig.write(config(i), data, clientPort(i), peers());
        }
        for (int i = 1; i <= size; i++) {
            startServer(i);
        }
        awaitQuorum(Duration.ofSeconds(60));
    }

    private Path config(int server) {
        return work.resolve("zoo" + server + ".cfg");
    }

    private List<String> peers() {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            lines.add("server." + i + "=127.0.0.1:" + (basePort + 100 + i) + ":" + (basePort + 200 + i));
        }
        return lines;
    }

    public NodeProcess startServer(int server) throws IOException {
        int jmx = basePort + 300 + server;
        servers[server] = cluster.startJava("zookeeper-" + server, "256m", List.of(
                "-Dcom.sun.management.jmxremote.port=" + jmx, "-Dcom.sun.management.jmxremote.rmi.port=" + jmx,
                "-Dcom.sun.management.jmxremote.host=127.0.0.1", "-Djava.rmi.server.hostname=127.0.0.1",
                "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false",
                "-cp", cluster.toolsJar(), "org.apache.zookeeper.server.quorum.QuorumPeerMain", config(server).toString()));
        return servers[server];
    }

    public NodeProcess server(int server) {
        return servers[server];
    }

    /** SIGKILL one server. */
    public void kill(int server) throws InterruptedException {
        servers[server].kill();
    }

    /** The server that the ensemble elected as its own leader, or 0 while there is none. */
    public int leader() {
        for (int i = 1; i <= size; i++) {
            if (servers[i] != null && servers[i].isAlive() && fourLetterWord(clientPort(i), "srvr").contains("Mode: leader")) {
                return i;
            }
        }
        return 0;
    }

    /** True when some live server serves clients (it answers {@code srvr} with a mode), i.e. a quorum exists. */
    public boolean hasQuorum() {
        for (int i = 1; i <= size; i++) {
            if (serving(i)) {
                return true;
            }
        }
        return false;
    }

    /** True when the server is part of a working quorum, as leader or follower. */
    public boolean serving(int server) {
        String srvr = fourLetterWord(clientPort(server), "srvr");
        return srvr.contains("Mode: leader") || srvr.contains("Mode: follower");
    }

    public void awaitQuorum(Duration limit) throws Exception {
        Probes.awaitCondition(limit, "a ZooKeeper quorum", () -> leader() != 0);
    }

    /**
     * Closes one client session on whichever server holds its connection (ZooKeeper's ConnectionMXBean
     * {@code terminateSession}); the client sees its session expire. False when no server knows it.
     */
    public boolean expireSession(long sessionId) {
        String hex = "0x" + Long.toHexString(sessionId);
        for (int i = 1; i <= size; i++) {
            if (servers[i] == null || !servers[i].isAlive()) {
                continue;
            }
            JMXServiceURL url;
            try {
                url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + (basePort + 300 + i) + "/jmxrmi");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            try (JMXConnector jmx = JMXConnectorFactory.connect(url)) {
                MBeanServerConnection beans = jmx.getMBeanServerConnection();
                Set<ObjectName> names = beans.queryNames(new ObjectName("org.apache.ZooKeeperService:*"), null);
                for (ObjectName name : names) {
                    if (name.toString().contains("Connections") && hex.equals(name.getKeyProperty("name5"))) {
                        beans.invoke(name, "terminateSession", null, null);
                        return true;
                    }
                }
            } catch (Exception e) {
                System.err.printf("  (JMX on zookeeper-%d: %s)%n", i, e.getMessage());
            }
        }
        return false;
    }

    /** {@code host:port,...} of the given client ports (the servers themselves, or proxies in front of them). */
    public static String connectString(List<Integer> ports) {
        return String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
    }

    static String fourLetterWord(int port, String word) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1_000);
            socket.getOutputStream().write(word.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (int i = 1; i <= size; i++) {
            if (servers[i] != null) {
                servers[i].stop();
            }
        }
    }
}
