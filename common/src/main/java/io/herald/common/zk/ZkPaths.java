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
    /** Ephemeral claims, one per task a live worker holds; named like the task. */
    public static final String CLAIMS = "/claims";

    private ZkPaths() {}

    public static String child(String parent, String name) {
        return parent + "/" + name;
    }
}
