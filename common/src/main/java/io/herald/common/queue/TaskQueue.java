package io.herald.common.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import io.herald.common.zk.ZkPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;

/**
 * The task queue between the leader and the workers, kept in ZooKeeper.
 *
 * <p>A queue task is a persistent sequential znode under {@code /tasks} holding a batch of message ids. A
 * worker takes a task by creating its task hold, the ephemeral znode {@code /claims/<task>}; only one
 * create can succeed. When the worker has recorded every outcome it deletes the task and its hold in one
 * ZooKeeper transaction.
 *
 * <p>Guarantees: delivery is at least once. If a worker dies while it holds a task, its session ends,
 * the ephemeral hold disappears and another worker takes the task. The same message may therefore
 * reach two workers; the {@code delivery} table's unique dedup key, not this queue, makes the send
 * happen once. Tasks are small (ids only) and the leader caps how many wait here, so the queue never
 * approaches ZooKeeper's znode size or child-count limits.
 */
public record TaskQueue(CuratorFramework curator, ObjectMapper json) implements TaskPublisher {
    private static final String TASK_PREFIX = "task-";

    /** Creates the queue's parent znodes if they are missing. */
    @Override
    public void ensurePaths() throws Exception {
        for (String path : List.of(ZkPaths.TASKS, ZkPaths.TASK_HOLDS)) {
            try {
                curator.create().creatingParentsIfNeeded().forPath(path);
            } catch (KeeperException.NodeExistsException e) {
                // another node created it first
            }
        }
    }

    /** Adds tasks in one ZooKeeper transaction: all of them are queued, or none. */
    @Override
    public void put(List<DispatchTask> tasks) throws Exception {
        if (tasks.isEmpty()) {
            return;
        }
        List<CuratorOp> ops = new ArrayList<>(tasks.size());
        for (DispatchTask task : tasks) {
            ops.add(curator.transactionOp()
                    .create()
                    .withMode(CreateMode.PERSISTENT_SEQUENTIAL)
                    .forPath(ZkPaths.TASKS + "/" + TASK_PREFIX, json.writeValueAsBytes(task)));
        }
        curator.transaction().forOperations(ops);
    }

    /** How many tasks wait or run; the leader's back-pressure signal. */
    @Override
    public int size() throws Exception {
        Stat stat = curator.checkExists().forPath(ZkPaths.TASKS);
        return stat == null ? 0 : stat.getNumChildren();
    }

    /** Task names, watched: {@code watcher} fires once when the set changes. */
    List<String> taskNames(Watcher watcher) throws Exception {
        return curator.getChildren().usingWatcher(watcher).forPath(ZkPaths.TASKS);
    }

    /** Names of tasks some live worker holds, watched: a hold vanishing frees its task. */
    Set<String> heldNames(Watcher watcher) throws Exception {
        return new HashSet<>(curator.getChildren().usingWatcher(watcher).forPath(ZkPaths.TASK_HOLDS));
    }

    /**
     * Tries to take a task for {@code workerId}.
     *
     * @return the task, or empty when another worker holds it or it is already done
     */
    Optional<DispatchTask> tryHold(String name, String workerId) throws Exception {
        String hold = ZkPaths.TASK_HOLDS + "/" + name;
        try {
            curator.create().withMode(CreateMode.EPHEMERAL).forPath(hold, workerId.getBytes(StandardCharsets.UTF_8));
        } catch (KeeperException.NodeExistsException e) {
            return Optional.empty(); // another worker got it
        }
        try {
            byte[] data = curator.getData().forPath(ZkPaths.TASKS + "/" + name);
            return Optional.of(decode(data));
        } catch (KeeperException.NoNodeException e) {
            release(name); // finished by its previous holder between our listing and our hold
            return Optional.empty();
        }
    }

    private DispatchTask decode(byte[] data) throws IOException {
        return json.readValue(data, DispatchTask.class);
    }

    /** Removes a finished task and its hold together. */
    void complete(String name) throws Exception {
        try {
            curator.transaction().forOperations(
                    curator.transactionOp().delete().forPath(ZkPaths.TASKS + "/" + name),
                    curator.transactionOp().delete().forPath(ZkPaths.TASK_HOLDS + "/" + name));
        } catch (KeeperException.NoNodeException e) {
            // Our hold lapsed (session expiry) and another worker finished the task first.
            release(name);
        }
    }

    /** Gives a task back without finishing it: drops the hold only. */
    void release(String name) throws Exception {
        try {
            curator.delete().forPath(ZkPaths.TASK_HOLDS + "/" + name);
        } catch (KeeperException.NoNodeException e) {
            // already gone with our session
        }
    }
}
