package io.herald.tools.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.tools.cluster.Probes;
import io.herald.tools.drill.DrillCluster.Node;
import io.herald.tools.drill.HeraldTables.Fence;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.IntSupplier;

/**
 * The fault scenarios. Each injects its fault into the running cluster under load, waits for the
 * cluster to recover, and checks what it promises along the way. Whether anything was lost or sent twice
 * is decided once, at the end of the drill, from the receivers' records.
 */
final class Scenarios {
    private static final ObjectMapper JSON = new ObjectMapper();

    final DrillCluster cluster;
    final HeraldTables tables;
    private final FaultPlan faults;
    private final ZooKeeperView zooKeeper;
    private final IntSupplier delivered;
    private final Random random;
    private final Duration session;
    private final Duration lease;
    private final Duration dbStepDown;
    private final boolean resends;

    Scenarios(DrillCluster cluster, HeraldTables tables, FaultPlan faults, ZooKeeperView zooKeeper, IntSupplier delivered,
            DrillOptions options, Duration dbStepDown) {
        this.cluster = cluster;
        this.tables = tables;
        this.faults = faults;
        this.zooKeeper = zooKeeper;
        this.delivered = delivered;
        this.random = new Random(options.seed);
        this.session = options.sessionTimeout;
        this.lease = options.lease;
        this.dbStepDown = dbStepDown;
        this.resends = options.unknownOutcomes().contains("resend");
    }

    void run(Scenario scenario, ScenarioResult result) throws Exception {
        switch (scenario) {
            case LEADER_KILL -> leaderKill(result);
            case LEADER_PAUSE -> leaderPause(result);
            case SHORT_PAUSE -> shortPause(result);
            case ZK_PARTITION -> zooKeeperPartition(result);
            case SESSION_EXPIRY -> sessionExpiry(result);
            case ZK_SERVER_KILL -> zooKeeperServerKill(result);
            case DB_CUT -> databaseCut(result);
            case WORKER_KILL -> new WorkerKill(this, lease, resends, random).run(result);
            case DUPLICATE_TASK -> duplicateTask(result);
            case RECEIVER_FAULTS -> receiverFaults(result);
            case ROLLING_RESTART -> rollingRestart(result);
        }
    }

    /** Time for a standby to notice a lost leader and take over: session expiry, election, first claim. */
    Duration takeoverLimit() {
        return session.multipliedBy(3).plusSeconds(20);
    }

    private void leaderKill(ScenarioResult result) throws Exception {
        Takeover t = Takeover.begin(this, result);
        t.leader.process.kill();
        t.awaitNewLeader();
        cluster.relaunch(t.leader);
        t.finish();
    }

    private void leaderPause(ScenarioResult result) throws Exception {
        Takeover t = Takeover.begin(this, result);
        long pauseMillis = session.toMillis() * 3 / 2;
        t.leader.process.pause();
        Waits.awaitMillisSince(t.faultNanos, pauseMillis);
        long thawed = System.nanoTime();
        t.leader.process.resume();
        boolean stopped = Waits.awaitQuietly(session, () -> !t.leader.id.equals(leaderSeenBy(t.leader)));
        result.figure("pausedMillis", pauseMillis);
        result.figure("stoppedMillisAfterThaw", stopped ? Waits.millisSince(thawed) : -1);
        result.check("the thawed leader stopped leading at once", stopped,
                stopped ? Waits.millisSince(thawed) + " ms after SIGCONT" : "still leading " + session.toMillis() + " ms after SIGCONT");
        t.awaitNewLeader();
        t.finish();
    }

    /** Who the node itself believes leads (its own /v1/cluster); "" when it cannot say. */
    String leaderSeenBy(Node node) {
        JsonNode view = cluster.clusterView(node);
        return view == null ? "" : view.path("leader").asText("");
    }

    private void shortPause(ScenarioResult result) throws Exception {
        Node leader = cluster.awaitLeader(takeoverLimit());
        Fence before = tables.fence();
        long events = tables.lastFenceEventId();
        long pauseMillis = session.toMillis() * 2 / 5;
        long start = System.nanoTime();
        leader.process.pause();
        Waits.awaitMillisSince(start, pauseMillis);
        leader.process.resume();
        // Give a wrongful failover every chance to happen before looking.
        Waits.awaitMillisSince(System.nanoTime(), session.toMillis() * 3 / 2);
        Fence after = tables.fence();
        result.figure("leader", leader.id);
        result.figure("pausedMillis", pauseMillis);
        result.check("no failover: the fence token did not move", after.token() == before.token(),
                "token " + before.token() + " -> " + after.token());
        long refused = tables.refusedSince(events).values().stream().mapToLong(Long::longValue).sum();
        result.check("no write was refused", refused == 0, refused + " refused");
        awaitDeliveryProgress(result, "deliveries continue after the pause");
    }

    private void zooKeeperPartition(ScenarioResult result) throws Exception {
        Takeover t = Takeover.begin(this, result);
        cluster.cutZooKeeper(t.leader);
        t.awaitNewLeader();
        result.check("the cut-off leader still reached MySQL (only ZooKeeper was cut)", !t.leader.databaseProxy.isCut(), "");
        cluster.restoreZooKeeper(t.leader);
        t.finish();
    }

    private void sessionExpiry(ScenarioResult result) throws Exception {
        Takeover t = Takeover.begin(this, result);
        long sessionId = zooKeeper.leaderSessionId();
        boolean expired = sessionId != 0 && cluster.zooKeeper().expireSession(sessionId);
        result.check("the leader's session was found and expired on its server", expired,
                "session 0x" + Long.toHexString(sessionId));
        if (expired) {
            t.awaitNewLeader();
        }
        t.finish();
    }

    private void zooKeeperServerKill(ScenarioResult result) throws Exception {
        var ensemble = cluster.zooKeeper();
        int zkLeader = ensemble.leader();
        int before = delivered.getAsInt();
        long start = System.nanoTime();
        ensemble.kill(zkLeader);
        ensemble.awaitQuorum(Duration.ofSeconds(60));
        result.figure("zooKeeperLeaderKilled", "zookeeper-" + zkLeader);
        result.figure("zooKeeperReelectionMillis", Waits.millisSince(start));
        awaitDeliveryProgressFrom(result, before, "deliveries continue on the two remaining servers");
        ensemble.startServer(zkLeader);

        // Now lose the quorum for longer than a session: nothing may be dispatched until it is back.
        int first = 1 + random.nextInt(DrillCluster.ZK_SERVERS);
        List<Integer> victims = List.of(first, first % DrillCluster.ZK_SERVERS + 1);
        Probes.awaitCondition(Duration.ofSeconds(60), "the restarted ZooKeeper server to rejoin",
                () -> ensemble.serving(zkLeader));
        for (int server : victims) {
            ensemble.kill(server);
        }
        long outage = System.nanoTime();
        // A leader must stop once its connection is suspended (2/3 of the session timeout); allow a margin.
        Waits.awaitMillisSince(outage, session.toMillis());
        Timestamp leaderMustHaveStopped = tables.now();
        Waits.awaitMillisSince(outage, session.toMillis() * 2);
        long dispatchedDuringOutage = tables.dispatchedAmongCreatedSince(leaderMustHaveStopped);
        result.figure("quorumLostMillis", Waits.millisSince(outage));
        result.check("nothing was dispatched while the quorum was lost", dispatchedDuringOutage == 0,
                dispatchedDuringOutage + " messages created during the outage left 'queued'");
        for (int server : victims) {
            ensemble.startServer(server);
        }
        ensemble.awaitQuorum(Duration.ofSeconds(60));
        long resumed = awaitDispatchOf(leaderMustHaveStopped, takeoverLimit());
        result.figure("dispatchResumedMillisAfterQuorum", resumed);
        result.check("dispatch resumed once the quorum was back", resumed >= 0, resumed + " ms");
    }

    private void databaseCut(ScenarioResult result) throws Exception {
        Takeover t = Takeover.begin(this, result);
        t.leader.databaseProxy.cut();
        long tookOver = t.awaitNewLeader();
        // Its step-down bound, plus one socket timeout for the call that hangs first, plus an election.
        long bound = dbStepDown.plus(dbStepDown.dividedBy(2)).plus(session).plusSeconds(5).toMillis();
        result.check("the leader cut off from MySQL gave up leadership within " + bound + " ms", tookOver >= 0 && tookOver <= bound,
                tookOver + " ms");
        t.leader.databaseProxy.restore();
        t.finish();

        Node worker = pick(cluster.workers());
        result.figure("workerCutOff", worker.id);
        worker.databaseProxy.cut();
        Waits.awaitMillisSince(System.nanoTime(), lease.toMillis());
        worker.databaseProxy.restore();
        awaitDeliveryProgress(result, "deliveries continue after the worker's MySQL came back");
    }

    private void duplicateTask(ScenarioResult result) throws Exception {
        long blockedBefore = blockedDuplicates();
        ZooKeeperView.DuplicatedTask task = zooKeeper.duplicateNextTask(Duration.ofSeconds(30));
        int ids = JSON.readTree(task.json()).get("messageIds").size();
        result.figure("task", task.original());
        result.figure("copies", task.copies());
        result.figure("messagesInTask", ids);
        Probes.awaitCondition(takeoverLimit(), "the workers to consume both copies", () -> {
            for (String copy : task.copies()) {
                if (zooKeeper.taskExists(copy)) {
                    return false;
                }
            }
            return true;
        });
        long blocked = blockedDuplicates() - blockedBefore;
        result.figure("blockedByDedupKey", blocked);
        result.check("the dedup keys blocked every message of both copies", blocked >= 2L * ids,
                blocked + " blocked for 2 copies of " + ids);
    }

    private void receiverFaults(ScenarioResult result) throws Exception {
        faults.enable(true);
        Waits.awaitMillisSince(System.nanoTime(), Math.max(10_000, lease.toMillis() * 2));
        faults.enable(false);
        for (FaultPlan.Answer answer : FaultPlan.Answer.values()) {
            result.figure("answered" + answer.name(), faults.given(answer));
        }
        result.check("the receivers kept some deliveries without acknowledging them",
                faults.given(FaultPlan.Answer.TIMEOUT_AFTER_ACCEPT) + faults.given(FaultPlan.Answer.CLOSE_AFTER_ACCEPT) > 0, "");
        awaitDeliveryProgress(result, "deliveries continue once the receivers recover");
    }

    private void rollingRestart(ScenarioResult result) throws Exception {
        long events = tables.lastFenceEventId();
        long start = System.nanoTime();
        for (Node node : cluster.all()) {
            System.out.printf("    restarting %s%n", node.id);
            cluster.restart(node);
            cluster.awaitLeader(takeoverLimit());
        }
        result.figure("restartedNodes", cluster.all().size());
        result.figure("totalMillis", Waits.millisSince(start));
        result.figure("staleWritesRefused", tables.refusedSince(events).values().stream().mapToLong(Long::longValue).sum());
        awaitDeliveryProgress(result, "deliveries continue after every node was restarted");
    }

    /** Sum of the live workers' blocked-duplicate meters (admin /metrics). */
    private long blockedDuplicates() throws Exception {
        long total = 0;
        for (Node worker : cluster.workers()) {
            JsonNode metrics = JSON.readTree(cluster.local().get(worker.admin() + "/metrics").body());
            total += metrics.path("meters").path("herald.messages.blocked_duplicates").path("count").asLong();
        }
        return total;
    }

    void awaitDeliveryProgress(ScenarioResult result, String what) throws Exception {
        awaitDeliveryProgressFrom(result, delivered.getAsInt(), what);
    }

    private void awaitDeliveryProgressFrom(ScenarioResult result, int from, String what) throws Exception {
        long start = System.nanoTime();
        boolean progressed = Waits.awaitQuietly(takeoverLimit(), () -> delivered.getAsInt() > from);
        result.check(what, progressed, progressed ? Waits.millisSince(start) + " ms to the next delivery" : "no delivery");
    }

    /** Milliseconds until some message created at or after {@code since} is dispatched; -1 past the limit. */
    private long awaitDispatchOf(Timestamp since, Duration limit) throws Exception {
        long start = System.nanoTime();
        return Waits.awaitQuietly(limit, () -> tables.dispatchedAmongCreatedSince(since) > 0) ? Waits.millisSince(start) : -1;
    }

    private Node pick(List<Node> nodes) {
        return nodes.get(random.nextInt(nodes.size()));
    }
}
