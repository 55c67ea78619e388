package io.herald.master.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.common.tasks.HeraldTask;
import io.herald.master.resources.ClusterResource;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** {@code cluster}: the leader and every live node with its API and admin address, as JSON (the operators' view). */
public final class ClusterTask extends HeraldTask {
    private final ClusterResource cluster;
    private final ObjectMapper json;

    public ClusterTask(ClusterResource cluster, ObjectMapper json) {
        super("cluster");
        this.cluster = cluster;
        this.json = json;
    }

    @Override
    protected void run(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
        allowOnly(parameters);
        output.println(json.writeValueAsString(cluster.full()));
    }
}
