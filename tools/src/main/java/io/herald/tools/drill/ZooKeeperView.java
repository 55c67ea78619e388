package io.herald.tools.drill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/** The drill's own ZooKeeper client, straight to the ensemble: reads the election and writes into the task queue. */
final class ZooKeeperView implements AutoCloseable {
    private static final String ROOT = "/herald";
    private static final String LEADER = ROOT + "/leader";
    private static final String TASKS = ROOT + "/tasks";

    private final ZooKeeper zk;

    ZooKeeperView(String connect) throws IOException, InterruptedException {
        CountDownLatch connected = new CountDownLatch(1);
        zk = new ZooKeeper(connect, 10_000, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(30, TimeUnit.SECONDS)) {
            throw new IOException("could not connect to ZooKeeper at " + connect);
        }
    }

    /** The session that owns the first latch node in the election, i.e. the leader's; 0 when there is none. */
    long leaderSessionId() throws KeeperException, InterruptedException {
        List<String> latches = zk.getChildren(LEADER, false);
        String first = latches.stream().min(Comparator.comparing(ZooKeeperView::sequence)).orElse(null);
        if (first == null) {
            return 0;
        }
        Stat stat = zk.exists(LEADER + "/" + first, false);
        return stat == null ? 0 : stat.getEphemeralOwner();
    }

    private static String sequence(String node) {
        return node.substring(node.length() - 10);
    }

    /** A task copied twice into the queue, and the copies' names. */
    record DuplicatedTask(String original, String json, List<String> copies) {}

    /**
     * Waits for the leader's next task and puts two copies of it into the queue at the same moment, as a
     * leader whose retry after a lost answer raced its first try would.
     */
    DuplicatedTask duplicateNextTask(Duration limit) throws Exception {
        Set<String> seen = new HashSet<>(zk.getChildren(TASKS, false));
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            for (String task : zk.getChildren(TASKS, false)) {
                if (!seen.add(task)) {
                    continue;
                }
                byte[] data;
                try {
                    data = zk.getData(TASKS + "/" + task, false, null);
                } catch (KeeperException.NoNodeException e) {
                    continue; // a worker finished it already: wait for the next
                }
                CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> copy(data));
                CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> copy(data));
                return new DuplicatedTask(task, new String(data, StandardCharsets.UTF_8), List.of(first.get(), second.get()));
            }
            Thread.sleep(5); // tasks live for milliseconds; poll tightly
        }
        throw new IllegalStateException("no task appeared within " + limit.toSeconds() + " s");
    }

    private String copy(byte[] data) {
        try {
            String path = zk.create(TASKS + "/task-", data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL);
            return path.substring(path.lastIndexOf('/') + 1);
        } catch (KeeperException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    boolean taskExists(String name) throws KeeperException, InterruptedException {
        return zk.exists(TASKS + "/" + name, false) != null;
    }

    @Override
    public void close() throws InterruptedException {
        zk.close();
    }
}
