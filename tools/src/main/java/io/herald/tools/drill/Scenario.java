package io.herald.tools.drill;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The faults a drill can inject, in the order {@code all} runs them. */
enum Scenario {
    LEADER_KILL("leader-kill", "SIGKILL the leader mid-dispatch"),
    LEADER_PAUSE("leader-pause", "SIGSTOP the leader for 1.5x the session timeout, then SIGCONT"),
    SHORT_PAUSE("short-pause", "SIGSTOP the leader for 0.4x the session timeout: no failover"),
    ZK_PARTITION("zk-partition", "cut the leader off from ZooKeeper (not MySQL), then heal"),
    SESSION_EXPIRY("session-expiry", "the leader's ZooKeeper session expires on the server"),
    ZK_SERVER_KILL("zk-server-kill", "kill ZooKeeper's own leader; then two of three servers for a while"),
    DB_CUT("db-cut", "cut the leader's MySQL connections, then a worker's, then heal"),
    WORKER_KILL("worker-kill", "SIGKILL a worker with sends in flight"),
    DUPLICATE_TASK("duplicate-task", "put the same task into the queue twice, concurrently"),
    RECEIVER_FAULTS("receiver-faults", "receivers answer 4xx/5xx, time out, or close after accepting"),
    ROLLING_RESTART("rolling-restart", "restart every node, one at a time, under load");

    final String wireName;
    final String description;

    Scenario(String wireName, String description) {
        this.wireName = wireName;
        this.description = description;
    }

    static Scenario named(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst().orElse(null);
    }

    static String names() {
        return Arrays.stream(values()).map(s -> s.wireName).collect(Collectors.joining(", "));
    }

    static String help(String indent) {
        return Arrays.stream(values())
                .map(s -> String.format("%s%-16s %s", indent, s.wireName, s.description))
                .collect(Collectors.joining("\n"));
    }
}
