package io.herald.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.setup.Environment;
import io.herald.common.channel.Channels;
import io.herald.common.config.HeraldConfiguration;
import io.herald.common.db.Database;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import org.apache.curator.framework.CuratorFramework;

/**
 * What every node is built from: its configuration, identity, database pool and ZooKeeper client, and
 * its Prometheus registry for labelled metrics (the Dropwizard registry is the environment's), and the
 * channel plug-ins installed on it, loaded once.
 */
public record NodeContext(
        HeraldConfiguration config,
        Environment environment,
        String nodeId,
        Database database,
        CuratorFramework curator,
        PrometheusRegistry prometheus,
        Clock clock,
        Channels channels) {
    public ObjectMapper json() {
        return environment.getObjectMapper();
    }
}
