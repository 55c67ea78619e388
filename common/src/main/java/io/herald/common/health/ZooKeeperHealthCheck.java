package io.herald.common.health;

import com.codahale.metrics.health.HealthCheck;
import org.apache.curator.framework.CuratorFramework;

/** Healthy while the Curator client holds a live ZooKeeper connection. */
public final class ZooKeeperHealthCheck extends HealthCheck {
    private final CuratorFramework curator;

    public ZooKeeperHealthCheck(CuratorFramework curator) {
        this.curator = curator;
    }

    @Override
    protected Result check() {
        return curator.getZookeeperClient().isConnected()
                ? Result.healthy("connected to " + curator.getZookeeperClient().getCurrentConnectionString())
                : Result.unhealthy("not connected to ZooKeeper");
    }
}
