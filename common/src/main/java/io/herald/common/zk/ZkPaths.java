package io.herald.common.zk;

/** Herald's znodes, relative to the configured namespace. */
public final class ZkPaths {
    /** LeaderLatch participants; the sequence number of the leader's znode is its fencing token. */
    public static final String LEADER = "/leader";
    /** Ephemeral registrations of live masters. */
    public static final String MASTERS = "/masters";
    /** Ephemeral registrations of live workers. */
    public static final String WORKERS = "/workers";
    /** Persistent sequential task znodes, each a batch of message ids. */
    public static final String TASKS = "/tasks";
    /**
     * Task holds: one ephemeral znode per queue task a live worker holds, named like the task. The path
     * keeps its old name, so nodes of the previous release and this one share the queue.
     */
    public static final String TASK_HOLDS = "/claims";

    private ZkPaths() {}

    public static String child(String parent, String name) {
        return parent + "/" + name;
    }
}
