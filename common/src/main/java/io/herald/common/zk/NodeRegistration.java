package io.herald.common.zk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * An ephemeral znode announcing a live node. Curator's PersistentNode recreates it after a session
 * expiry, so a node that reconnects is visible again without help.
 */
public final class NodeRegistration implements Managed {
    private final PersistentNode node;

    public NodeRegistration(CuratorFramework curator, String parent, NodeInfo info, ObjectMapper json) {
        this.node = new PersistentNode(curator, CreateMode.EPHEMERAL, false, ZkPaths.child(parent, info.id()), encode(info, json));
    }

    private static byte[] encode(NodeInfo info, ObjectMapper json) {
        try {
            return json.writeValueAsBytes(info);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The registrations under {@code parent}; a node that vanishes while being read is skipped. */
    public static List<NodeInfo> list(CuratorFramework curator, String parent, ObjectMapper json) throws Exception {
        List<NodeInfo> nodes = new ArrayList<>();
        List<String> children;
        try {
            children = curator.getChildren().forPath(parent);
        } catch (KeeperException.NoNodeException e) {
            return nodes;
        }
        for (String child : children) {
            try {
                nodes.add(json.readValue(curator.getData().forPath(ZkPaths.child(parent, child)), NodeInfo.class));
            } catch (KeeperException.NoNodeException e) {
                // it left between the listing and the read
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable registration " + child, e);
            }
        }
        return nodes;
    }

    @Override
    public void start() {
        node.start();
    }

    @Override
    public void stop() throws IOException {
        node.close();
    }
}
