package io.herald.common;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import io.herald.common.admin.AdminAccessFilter;
import io.herald.common.channel.Channels;
import io.herald.common.cli.CliErrors;
import io.herald.common.cli.DbCommand;
import net.sourceforge.argparse4j.inf.Namespace;
import io.herald.common.config.HeraldConfiguration;
import io.herald.common.db.Database;
import io.herald.common.health.DatabaseHealthCheck;
import io.herald.common.health.ZooKeeperHealthCheck;
import io.herald.common.metrics.PrometheusEndpoint;
import io.herald.common.tasks.TaskAuditFilter;
import io.herald.common.tasks.TaskStatusFilter;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import io.herald.common.zk.ZooKeeperClient;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;

/**
 * What both Herald services share: environment substitution in config.yml, the {@code db} command, the
 * database pool, the ZooKeeper client, health checks, the Prometheus endpoint and the admin port's access check. Managed objects stop
 * in reverse order of registration, so a role's components stop before ZooKeeper and the database.
 */
public abstract class HeraldApplication extends Application<HeraldConfiguration> {
    private final String role;

    protected HeraldApplication(String role) {
        this.role = role;
    }

    @Override
    public String getName() {
        return "herald-" + role;
    }

    @Override
    public void initialize(Bootstrap<HeraldConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
        bootstrap.addCommand(new DbCommand());
    }

    @Override
    protected void addDefaultCommands(Bootstrap<HeraldConfiguration> bootstrap) {
        bootstrap.addCommand(new ServerCommand<>(this) {
            @Override
            public void onError(Cli cli, Namespace namespace, Throwable e) {
                if (!CliErrors.report(cli, e)) {
                    super.onError(cli, namespace, e);
                }
            }
        });
        bootstrap.addCommand(new CheckCommand<>(this) {
            @Override
            public void onError(Cli cli, Namespace namespace, Throwable e) {
                if (!CliErrors.report(cli, e)) {
                    super.onError(cli, namespace, e);
                }
            }
        });
    }

    @Override
    public final void run(HeraldConfiguration config, Environment environment) throws Exception {
        AdminAccessFilter.requireToken(config.admin());
        config.unsubscribe.requireKey();
        String nodeId = config.nodeId.isEmpty() ? defaultNodeId() : config.nodeId;
        // Before anything connects: a missing plug-in or bad channels.<name> settings stop the node here.
        Channels channels = Channels.load(config, environment.getObjectMapper(), environment.getValidator());
        Database database = new Database(config.database, nodeId + "-db");
        environment.lifecycle().manage(database);
        ZooKeeperClient zooKeeper = new ZooKeeperClient(config.zookeeper);
        environment.lifecycle().manage(zooKeeper);

        environment.healthChecks().register("database", new DatabaseHealthCheck(database));
        environment.healthChecks().register("zookeeper", new ZooKeeperHealthCheck(zooKeeper.curator()));
        PrometheusRegistry prometheus = PrometheusEndpoint.install(environment);
        environment.admin().addFilter("admin-access", new AdminAccessFilter(config.admin()))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        environment.admin().addFilter("task-status", new TaskStatusFilter())
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/tasks/*");

        environment.admin().addFilter("task-audit", new TaskAuditFilter(nodeId))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/tasks/*");

        runNode(new NodeContext(config, environment, nodeId, database, zooKeeper.curator(), prometheus, Clock.systemUTC(), channels));
    }

    /** Builds the role's components; called once, after the shared ones exist. */
    protected abstract void runNode(NodeContext node) throws Exception;

    private String defaultNodeId() {
        return role + "-" + hostName() + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
