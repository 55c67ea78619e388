package io.herald.tools.drill;

import io.herald.tools.drill.DrillCluster.Node;
import io.herald.tools.drill.HeraldTables.Fence;

/**
 * One leader failover: remembers the leader and the fence before the fault, measures the time from
 * the fault to the new leader's first dispatch, and after the repair reports the fence's refusals
 * of the old leader and checks that it came back as a follower.
 */
final class Takeover {
    private final Scenarios s;
    private final ScenarioResult result;
    final Node leader;
    private final Fence before;
    private final long events;
    final long faultNanos;

    private Takeover(Scenarios s, ScenarioResult result, Node leader, Fence before, long events) {
        this.s = s;
        this.result = result;
        this.leader = leader;
        this.before = before;
        this.events = events;
        this.faultNanos = System.nanoTime();
    }

    static Takeover begin(Scenarios s, ScenarioResult result) throws Exception {
        Node leader = s.cluster.awaitLeader(s.takeoverLimit());
        // The leader must be dispatching, so that the fault lands mid-dispatch.
        Fence fence = s.tables.fence();
        Waits.awaitQuietly(s.takeoverLimit(), () -> s.tables.dispatchedUnder(s.tables.fence().token()));
        result.figure("leaderBefore", leader.id);
        result.figure("tokenBefore", fence.token());
        return new Takeover(s, result, leader, fence, s.tables.lastFenceEventId());
    }

    /** Milliseconds from the fault until a leader with a higher token dispatched; -1 if none did in time. */
    long awaitNewLeader() throws Exception {
        boolean took = Waits.awaitQuietly(s.takeoverLimit(), () -> {
            Fence now = s.tables.fence();
            return now.token() > before.token() && s.tables.dispatchedUnder(now.token());
        });
        long millis = took ? Waits.millisSince(faultNanos) : -1;
        Fence after = s.tables.fence();
        result.figure("failoverMillis", millis);
        result.figure("leaderAfter", after.holder());
        result.figure("tokenAfter", after.token());
        result.check("a new leader took over and dispatched", took && !leader.id.equals(after.holder()),
                took ? after.holder() + " in " + millis + " ms" : "none within " + s.takeoverLimit().toSeconds() + " s");
        return millis;
    }

    /** After the repair: the old leader's refused writes, and the old leader back as a follower. */
    void finish() throws Exception {
        long refused = s.tables.refusedSince(events).getOrDefault(leader.id, 0L);
        result.figure("staleWritesRefused", refused);
        boolean rejoined = Waits.awaitQuietly(s.takeoverLimit(), () -> {
            String seen = s.leaderSeenBy(leader);
            return !seen.isEmpty() && !seen.equals(leader.id);
        });
        result.check("the old leader is back, following the new one", rejoined, "");
        s.awaitDeliveryProgress(result, "deliveries continue");
    }
}
