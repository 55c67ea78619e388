package io.herald.master.console;

import io.herald.common.zk.NodeInfo;
import io.herald.master.api.InvalidRequestException;
import io.herald.master.resources.ClusterResource;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's actions that must run on another node: the leader's {@code step-down} and a worker's
 * {@code drain} and {@code resume-tasks}. A page can only reach the admin port it came from, so this
 * master runs the node's own task at the address it registered, with the operator's Authorization
 * header; the node logs the task as it logs every task, and this master logs that it asked. Actions
 * that hold cluster-wide (pause, requeue, purge, policy) are this master's own tasks, which the page
 * calls directly.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public record ConsoleActionsResource(String nodeId, ClusterResource cluster, NodeProbe probe) {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleActionsResource.class);

    /** What the node's task answered. */
    public record Result(String node, String task, int status, String output) {}

    @POST
    @Path("leader/step-down")
    public Result stepDown(@HeaderParam("Authorization") String authorization) throws Exception {
        ClusterResource.FullView full = cluster.full();
        if (full.leader() == null) {
            throw InvalidRequestException.of(409, "leader", "no master leads right now; nothing to step down");
        }
        return run(find(full.masters(), full.leader(), "leader"), "step-down", authorization);
    }

    @POST
    @Path("workers/{id}/drain")
    public Result drain(@PathParam("id") String id, @HeaderParam("Authorization") String authorization) throws Exception {
        return run(find(cluster.full().workers(), id, "id"), "drain?wait=0", authorization);
    }

    @POST
    @Path("workers/{id}/resume")
    public Result resume(@PathParam("id") String id, @HeaderParam("Authorization") String authorization) throws Exception {
        return run(find(cluster.full().workers(), id, "id"), "resume-tasks", authorization);
    }

    private static NodeInfo find(List<NodeInfo> nodes, String id, String field) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst()
                .orElseThrow(() -> InvalidRequestException.of(404, field, "no live node '" + id + "' of that role"));
    }

    private Result run(NodeInfo node, String task, String authorization) throws InterruptedException {
        String name = task.contains("?") ? task.substring(0, task.indexOf('?')) : task;
        String query = task.contains("?") ? task.substring(task.indexOf('?') + 1) : "";
        try {
            NodeProbe.TaskAnswer answer = probe.runTask(node, name, query, authorization);
            LOG.info("[{}] console: asked {} to run {}; it answered {}: {}", nodeId, node.id(), name, answer.status(), answer.output());
            return new Result(node.id(), name, answer.status(), answer.output());
        } catch (IOException e) {
            LOG.warn("[{}] console: asked {} to run {} at {}; no answer: {}", nodeId, node.id(), name, node.admin(), e.toString());
            throw InvalidRequestException.of(502, "node", node.id() + " did not answer at " + node.admin() + ": " + e.getMessage());
        }
    }
}
