package io.herald.common.zk;

import io.dropwizard.lifecycle.Managed;
import io.dropwizard.lifecycle.ServerLifecycleListener;
import io.herald.common.NodeContext;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the node in ZooKeeper once its HTTP ports are known (they may be random in tests), and
 * removes the registration first thing at shutdown.
 */
public final class Announcer implements Managed, ServerLifecycleListener {
    private static final Logger LOG = LoggerFactory.getLogger(Announcer.class);

    private final NodeContext node;
    private final String parent;
    private final String role;
    private final AtomicReference<NodeRegistration> registration = new AtomicReference<>();

    private Announcer(NodeContext node, String parent, String role) {
        this.node = node;
        this.parent = parent;
        this.role = role;
    }

    /** Registers {@code node} under {@code parent} as soon as its server has started. */
    public static void announce(NodeContext node, String parent, String role) {
        Announcer announcer = new Announcer(node, parent, role);
        node.environment().lifecycle().addServerLifecycleListener(announcer);
        node.environment().lifecycle().manage(announcer);
    }

    @Override
    public void serverStarted(Server server) {
        NodeInfo info = new NodeInfo(node.nodeId(), role,
                "http://127.0.0.1:" + getLocalPort(server), "http://127.0.0.1:" + getAdminPort(server));
        NodeRegistration created = new NodeRegistration(node.curator(), parent, info, node.json());
        created.start();
        registration.set(created);
        LOG.info("[{}] registered as {} at {} (admin {})", node.nodeId(), role, info.api(), info.admin());
    }

    @Override
    public void start() {}

    @Override
    public void stop() throws Exception {
        NodeRegistration current = registration.getAndSet(null);
        if (current != null) {
            current.stop();
        }
    }
}
