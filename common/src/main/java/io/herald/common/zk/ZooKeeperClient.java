package io.herald.common.zk;

import io.dropwizard.lifecycle.Managed;
import io.herald.common.config.ZooKeeperConfig;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/** The node's one Curator client, started before and closed after everything that uses it. */
public final class ZooKeeperClient implements Managed {
    private final CuratorFramework curator;

    public ZooKeeperClient(ZooKeeperConfig config) {
        this.curator = CuratorFrameworkFactory.builder()
                .connectString(config.connect)
                .namespace(config.namespace)
                .sessionTimeoutMs((int) config.sessionTimeout.toMilliseconds())
                .connectionTimeoutMs((int) config.connectionTimeout.toMilliseconds())
                .retryPolicy(new ExponentialBackoffRetry(100, 10, 2_000))
                .build();
    }

    public CuratorFramework curator() {
        return curator;
    }

    @Override
    public void start() {
        curator.start();
    }

    @Override
    public void stop() {
        curator.close();
    }
}
