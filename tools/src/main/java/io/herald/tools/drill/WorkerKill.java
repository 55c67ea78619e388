package io.herald.tools.drill;

import io.herald.tools.drill.DrillCluster.Node;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * The {@code worker-kill} scenario: SIGKILL a worker with sends in flight, check that the others take
 * over its tasks, and, when the load has an application that resends unknown outcomes, that its cut-off
 * sends were resent once the send lease ran out rather than parked for an operator.
 */
record WorkerKill(Scenarios s, Duration lease, boolean resends, Random random) {

    void run(ScenarioResult result) throws Exception {
        Node worker = busyWorker();
        result.figure("killed", worker.id);
        int resentBefore = s.tables.resentAfterUnknown().size();
        long killed = System.nanoTime();
        worker.process.kill();
        s.awaitDeliveryProgress(result, "the other workers take over its tasks");
        s.cluster.relaunch(worker);
        if (resends) {
            // Its cut-off sends lapse after the send lease (twice the dispatch lease) and the reaper's next pass.
            Waits.awaitMillisSince(killed, lease.multipliedBy(2).plusSeconds(3).toMillis());
            result.figure("resentWithoutOperator", s.tables.resentAfterUnknown().size() - resentBefore);
            long parked = s.tables.parkedWithAttemptsLeft(Drill.RESEND_APPLICATION);
            result.check("the resending application's cut-off sends were resent, none parked for an operator", parked == 0,
                    parked + " parked with attempts left");
        }
    }

    /**
     * A worker with sends in flight, so that the kill cuts some off (they become unknown, or are resent):
     * the busiest one seen within a few seconds, else one at random.
     */
    private Node busyWorker() throws Exception {
        List<Node> workers = s.cluster.workers();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (String id : s.tables.workersSending()) {
                Node node = s.cluster.node(id);
                if (node != null && workers.contains(node)) {
                    return node;
                }
            }
            Thread.sleep(20); // the sends in flight change by the millisecond; a few reads find a busy worker
        }
        return workers.get(random.nextInt(workers.size()));
    }
}
