package io.herald.master.tasks;

import io.herald.common.tasks.HeraldTask;
import io.herald.master.core.LeaderElection;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** {@code step-down}: the leader gives up leadership and rejoins the election; another master takes over. */
public final class StepDownTask extends HeraldTask {
    private final LeaderElection election;
    private final String nodeId;

    public StepDownTask(LeaderElection election, String nodeId) {
        super("step-down");
        this.election = election;
        this.nodeId = nodeId;
    }

    @Override
    protected void run(Map<String, List<String>> parameters, PrintWriter output) {
        allowOnly(parameters);
        if (election.stepDown("operator step-down")) {
            output.println(nodeId + " is stepping down; another master takes over");
        } else {
            output.println(nodeId + " is not the leader (leader: " + election.leaderId().orElse("none") + "); nothing to do");
        }
    }
}
