package io.herald.master.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.common.zk.NodeInfo;
import io.herald.common.zk.NodeRegistration;
import io.herald.common.zk.ZkPaths;
import io.herald.master.core.LeaderElection;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;

/**
 * {@code GET /v1/cluster}: who leads, and every live master and worker by id and role. Applications
 * see no addresses: the ports, the admin port's above all, are for operators ({@code cluster} task).
 */
@Path("/v1/cluster")
@Produces(MediaType.APPLICATION_JSON)
public record ClusterResource(CuratorFramework curator, LeaderElection election, ObjectMapper json) {
    public record Node(String id, String role) {}

    public record ClusterView(String leader, List<Node> masters, List<Node> workers) {}

    /** The operators' view, with every node's API and admin address. */
    public record FullView(String leader, List<NodeInfo> masters, List<NodeInfo> workers) {}

    @GET
    public ClusterView get() throws Exception {
        FullView full = full();
        return new ClusterView(full.leader(), summary(full.masters()), summary(full.workers()));
    }

    public FullView full() throws Exception {
        return new FullView(
                election.leaderId().orElse(null),
                NodeRegistration.list(curator, ZkPaths.MASTERS, json),
                NodeRegistration.list(curator, ZkPaths.WORKERS, json));
    }

    private static List<Node> summary(List<NodeInfo> nodes) {
        return nodes.stream().map(n -> new Node(n.id(), n.role())).toList();
    }
}
