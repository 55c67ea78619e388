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

/** {@code GET /v1/cluster}: who leads, and every live master and worker with its ports. */
@Path("/v1/cluster")
@Produces(MediaType.APPLICATION_JSON)
public final class ClusterResource {
    public record ClusterView(String leader, List<NodeInfo> masters, List<NodeInfo> workers) {}

    private final CuratorFramework curator;
    private final LeaderElection election;
    private final ObjectMapper json;

    public ClusterResource(CuratorFramework curator, LeaderElection election, ObjectMapper json) {
        this.curator = curator;
        this.election = election;
        this.json = json;
    }

    @GET
    public ClusterView get() throws Exception {
        return new ClusterView(
                election.leaderId().orElse(null),
                NodeRegistration.list(curator, ZkPaths.MASTERS, json),
                NodeRegistration.list(curator, ZkPaths.WORKERS, json));
    }
}
