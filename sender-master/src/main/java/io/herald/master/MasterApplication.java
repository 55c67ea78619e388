package io.herald.master;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.dropwizard.auth.AuthValueFactoryProvider;
import io.dropwizard.auth.CachingAuthenticator;
import io.dropwizard.core.setup.Environment;
import io.herald.common.HeraldApplication;
import io.herald.common.NodeContext;
import io.herald.common.health.RoleHealthCheck;
import io.herald.common.queue.TaskQueue;
import io.herald.common.zk.Announcer;
import io.herald.common.zk.ZkPaths;
import io.herald.master.api.MessageParser;
import io.herald.master.api.TemplateParser;
import io.herald.master.auth.ApiKeyAuthenticator;
import io.herald.master.auth.ApiKeyFilter;
import io.herald.master.auth.Caller;
import io.herald.master.core.DeadLetterMetrics;
import io.herald.master.core.Dispatcher;
import io.herald.master.core.LeaderElection;
import io.herald.master.core.Retention;
import io.herald.master.core.StatusWaiter;
import io.herald.master.db.ApplicationStore;
import io.herald.master.db.DeadLetterStore;
import io.herald.master.db.DispatchStore;
import io.herald.master.db.MessageStore;
import io.herald.master.db.PolicyStore;
import io.herald.master.db.RetentionStore;
import io.herald.master.db.TemplateStore;
import io.herald.master.resources.ClusterResource;
import io.herald.master.resources.DeadLettersResource;
import io.herald.master.resources.ErrorMappers;
import io.herald.master.resources.MessagesResource;
import io.herald.master.resources.TemplatesResource;
import io.herald.master.tasks.ApplicationTasks;
import io.herald.master.tasks.DeadLetterTask;
import io.herald.master.tasks.PauseDispatchTask;
import io.herald.master.tasks.PolicyTasks;
import io.herald.master.tasks.RequeueTask;
import io.herald.master.tasks.StepDownTask;
import java.time.Duration;

/**
 * sender-master: serves the HTTP API on every master; the master elected leader also dispatches.
 * Everything is built here, once, with plain constructors.
 */
public class MasterApplication extends HeraldApplication {
    private volatile LeaderElection election;

    public MasterApplication() {
        super("master");
    }

    public static void main(String[] args) throws Exception {
        new MasterApplication().run(args);
    }

    @Override
    protected void runNode(NodeContext node) {
        Environment environment = node.environment();
        MessageStore messages = new MessageStore(node.database(), node.nodeId());
        DeadLetterStore deadLetters = new DeadLetterStore(node.database(), node.nodeId());
        DispatchStore dispatchStore = new DispatchStore(node.database(), node.config().policy,
                node.config().master.stalledTransactionTimeout.toJavaDuration(), environment.metrics());
        TaskQueue queue = new TaskQueue(node.curator(), node.json());
        election = new LeaderElection(node.curator(), node.nodeId(), dispatchStore);
        Dispatcher dispatcher = new Dispatcher(node.nodeId(), node.config().master, dispatchStore, queue,
                election, node.clock(), environment.metrics());

        // Stopped in reverse: the registration goes first, then the dispatcher, then leadership is handed over.
        environment.lifecycle().manage(election);
        environment.lifecycle().manage(dispatcher);
        StatusWaiter waiter = new StatusWaiter(node.nodeId(), messages,
                Duration.ofMillis(node.config().master.statusWaitPollInterval.toMilliseconds()),
                node.config().master.maxStatusWaiters, node.clock(), environment.metrics());
        environment.lifecycle().manage(waiter);
        environment.lifecycle().manage(new Retention(node.nodeId(), new RetentionStore(node.database()),
                node.config().retention, () -> election.currentTerm().isPresent(), environment.metrics()));
        environment.lifecycle().manage(new DeadLetterMetrics(node.nodeId(), deadLetters,
                Duration.ofMillis(node.config().master.deadLetterMetricsInterval.toMilliseconds()), node.clock(), environment.metrics()));
        Announcer.announce(node, ZkPaths.MASTERS, "master");

        ApplicationStore applications = new ApplicationStore(node.database());
        CachingAuthenticator<String, Caller> keys = keyCache(applications, node);
        environment.jersey().register(ApiKeyFilter.create(keys));
        environment.jersey().register(new AuthValueFactoryProvider.Binder<>(Caller.class));
        TemplateStore templates = new TemplateStore(node.database());
        environment.jersey().register(new MessagesResource(messages, templates, new MessageParser(node.json()), waiter, dispatcher::wakeUp));
        environment.jersey().register(new TemplatesResource(templates, new TemplateParser(node.json())));
        environment.jersey().register(new DeadLettersResource(deadLetters, dispatcher::wakeUp));
        environment.jersey().register(new ClusterResource(node.curator(), election, node.json()));
        environment.jersey().register(new ErrorMappers.InvalidRequest());
        environment.jersey().register(new ErrorMappers.DatabaseUnavailable());

        environment.admin().addTask(PauseDispatchTask.pause(dispatchStore, dispatcher));
        environment.admin().addTask(PauseDispatchTask.resume(dispatchStore, dispatcher));
        environment.admin().addTask(new StepDownTask(election, node.nodeId()));
        environment.admin().addTask(new RequeueTask(messages, dispatcher));
        PolicyStore policies = new PolicyStore(node.database(), node.config().policy);
        PolicyTasks.all(policies, node.config().policy).forEach(environment.admin()::addTask);
        environment.admin().addTask(PolicyTasks.retrySchedule(policies, node.config().webhook.retrySchedule));
        ApplicationTasks.all(applications, keys::invalidateAll, ttl(node), millis(node.config().webhook.secretRotationGrace))
                .forEach(environment.admin()::addTask);
        environment.admin().addTask(DeadLetterTask.requeue(deadLetters, dispatcher));
        environment.admin().addTask(DeadLetterTask.purge(deadLetters, dispatcher));
        environment.healthChecks().register("role", new RoleHealthCheck(election::role));
    }

    /**
     * Checked keys, good and bad, are remembered for {@code master.apiKeyCacheTtl}, so a busy client costs
     * one lookup per key and period rather than one per request. Bad keys are cached too, so a client
     * retrying with a wrong key does not load the database; a new key cannot have been tried before.
     */
    private static CachingAuthenticator<String, Caller> keyCache(ApplicationStore applications, NodeContext node) {
        return new CachingAuthenticator<>(node.environment().metrics(), new ApiKeyAuthenticator(applications),
                Caffeine.newBuilder().expireAfterWrite(ttl(node)).maximumSize(10_000), true);
    }

    private static Duration ttl(NodeContext node) {
        return millis(node.config().master.apiKeyCacheTtl);
    }

    private static Duration millis(io.dropwizard.util.Duration duration) {
        return Duration.ofMillis(duration.toMilliseconds());
    }

    /** This master's election; for tests and tools that run masters in-process. */
    public LeaderElection election() {
        return election;
    }
}
