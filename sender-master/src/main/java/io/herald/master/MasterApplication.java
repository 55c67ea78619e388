package io.herald.master;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.dropwizard.auth.AuthValueFactoryProvider;
import io.dropwizard.auth.CachingAuthenticator;
import io.dropwizard.core.setup.Environment;
import io.herald.common.HeraldApplication;
import io.herald.common.NodeContext;
import io.herald.common.config.MasterConfig;
import io.herald.common.health.RoleHealthCheck;
import io.herald.common.queue.TaskQueue;
import io.herald.common.zk.Announcer;
import io.herald.common.zk.ZkPaths;
import io.herald.common.template.TemplateEngine;
import io.herald.common.unsubscribe.UnsubscribeToken;
import io.herald.master.api.ErrorAnswers;
import io.herald.master.api.MessageParser;
import io.herald.master.api.PreferencesParser;
import io.herald.master.api.SendAt;
import io.herald.master.api.SuppressionParser;
import io.herald.master.api.Targets;
import io.herald.master.api.TemplateParser;
import io.herald.master.auth.ApiKeyAuthenticator;
import io.herald.master.auth.ApiKeyFilter;
import io.herald.master.auth.Caller;
import io.herald.master.auth.RateLimitFilter;
import io.herald.master.console.Console;
import io.herald.master.console.ConsoleActionsResource;
import io.herald.master.console.ConsoleClusterResource;
import io.herald.master.console.ConsoleMessagesResource;
import io.herald.master.console.ConsoleSampler;
import io.herald.master.console.ConsoleTrafficResource;
import io.herald.master.console.NodeProbe;
import io.herald.master.core.DeadLetterMetrics;
import io.herald.master.core.Dispatcher;
import io.herald.master.core.LeaderElection;
import io.herald.master.core.LeaseReaper;
import io.herald.master.core.FanoutLoop;
import io.herald.master.core.SubscriberBulk;
import io.herald.master.db.FanoutCancels;
import io.herald.master.db.FanoutChunks;
import io.herald.master.db.FanoutStore;
import io.herald.master.db.Topics;
import io.herald.master.api.SubscriberReader;
import io.herald.master.api.TopicParser;
import io.herald.master.resources.FanoutsResource;
import io.herald.master.resources.TopicsResource;
import io.herald.master.core.OutboxRelay;
import io.herald.master.core.RequestRateLimiter;
import io.herald.master.policy.RateLimit;
import io.herald.master.core.Retention;
import io.herald.master.core.StatusWaiter;
import io.herald.master.db.ApplicationStore;
import io.herald.master.db.ConsoleMessageStore;
import io.herald.master.db.ConsoleSampleStore;
import io.herald.master.db.DeadLetterStore;
import io.herald.master.db.QueueStatsStore;
import io.herald.master.core.QueueMetrics;
import io.herald.master.policy.PolicyMetrics;
import io.herald.common.metrics.ApplicationLabels;
import io.herald.master.db.DigestWindows;
import io.herald.master.db.DispatchStore;
import io.herald.master.db.CancelStore;
import io.herald.master.db.MessageStore;
import io.herald.master.db.UnknownOutcomes;
import io.herald.master.db.DispatchRateStore;
import io.herald.master.db.QueuePositions;
import io.herald.master.core.DispatchRates;
import io.herald.master.db.OptOuts;
import io.herald.master.db.SuppressionStore;
import io.herald.master.db.Suppressions;
import io.herald.master.db.RecipientImports;
import io.herald.master.db.Recipients;
import io.herald.master.db.OutboxStore;
import io.herald.master.db.PolicyStore;
import io.herald.master.db.QuotaLedger;
import io.herald.master.db.RetentionStore;
import io.herald.master.db.TemplateStore;
import io.herald.master.policy.AdmissionPolicy;
import io.herald.master.resources.ClusterResource;
import io.herald.master.resources.DeadLettersResource;
import io.herald.master.resources.ErrorMappers;
import io.herald.master.resources.MessagesResource;
import io.herald.master.resources.OpenApiResource;
import io.herald.master.resources.RecipientsResource;
import io.herald.master.resources.SuppressionsResource;
import io.herald.master.resources.UnsubscribeResource;
import io.herald.master.resources.TemplatesResource;
import io.herald.master.tasks.ApplicationPolicyTask;
import io.herald.master.tasks.ApplicationTasks;
import io.herald.master.tasks.ClusterTask;
import io.herald.master.tasks.DeadLetterTask;
import io.herald.master.tasks.PauseDispatchTask;
import io.herald.master.tasks.PolicyTasks;
import io.herald.master.policy.UnknownOutcome;
import io.herald.master.tasks.RequeueTask;
import io.herald.master.tasks.StepDownTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

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
        MasterConfig config = node.config().master;
        MessageStore messages = new MessageStore(node.database(), node.nodeId());
        DeadLetterStore deadLetters = new DeadLetterStore(node.database(), node.nodeId());
        PolicyStore policies = new PolicyStore(node.database(), node.config().policy);
        OutboxStore outbox = new OutboxStore(node.database());
        // The fenced claim's admission policies, applied in this order to each pass: a suppressed or opted-out
        // message uses no quota and joins no digest; suppression first, since critical messages do not bypass it.
        List<AdmissionPolicy> admission = List.of(
                Suppressions.policy(),
                OptOuts.policy(),
                QuotaLedger.policy(node.config().policy.quota.warnInterval.toJavaDuration(), policies),
                DigestWindows.policy());
        ApplicationLabels applicationLabels = new ApplicationLabels(node.config().prometheus.maxApplicationLabels);
        DispatchStore dispatchStore = new DispatchStore(node.database(), config.stalledTransactionTimeout.toJavaDuration(),
                environment.metrics(), new PolicyMetrics(node.prometheus(), applicationLabels), node.config().policy.priorityWeights, policies, admission, outbox,
                unknownOutcomes(node));
        election = new LeaderElection(node.curator(), node.nodeId(), dispatchStore);
        BooleanSupplier leading = () -> election.currentTerm().isPresent();
        Duration rateInterval = config.dispatchRateInterval.toJavaDuration();
        DispatchRateStore rateStore = new DispatchRateStore(node.database(), rateInterval.multipliedBy(3));
        DispatchRates dispatchRates = new DispatchRates(node.nodeId(), rateStore::replace, leading, rateInterval, node.clock(),
                environment.metrics());
        Dispatcher dispatcher = new Dispatcher(node.nodeId(), config, dispatchRates.counting(dispatchStore), new TaskQueue(node.curator(), node.json()),
                election, node.clock(), environment.metrics(), node.prometheus());
        FanoutLoop fanoutLoop = new FanoutLoop(node.nodeId(), new FanoutChunks(dispatchStore), config.fanoutChunkSize, election,
                dispatcher::wakeUp, node.clock(), environment.metrics());
        StatusWaiter waiter = new StatusWaiter(node.nodeId(), messages, ErrorAnswers::unavailable, config.statusWaitPollInterval.toJavaDuration(),
                config.maxStatusWaiters, node.config().api.maxStatusWaitersPerApplication, node.clock(), environment.metrics());

        ClusterResource cluster = new ClusterResource(node.curator(), election, node.json());
        ConsoleSampleStore consoleSamples = new ConsoleSampleStore(node.database());
        NodeProbe probe = new NodeProbe(node.json());
        Duration sampleInterval = config.consoleSampleInterval.toJavaDuration();

        // The master's lifecycle, in one place. Started in this order; stopped in reverse (Dropwizard's
        // lifecycle), after the ZooKeeper registration (registered last) and before the ZooKeeper client
        // and the database pool (registered first, by HeraldApplication). Each loop lets an iteration in
        // progress finish (LoopRunner.STOP_BOUND). So on shutdown: registration, dispatch rates, backlog gauges, console sampler,
        // dead-letter gauges, retention, status waits (each answered), outbox relay, lease reaper, fan-out, dispatcher, and last the
        // election, whose latch closes and hands leadership over in one watch notification.
        List.of(election,
                dispatcher,
                fanoutLoop.loop(),
                new LeaseReaper(node.nodeId(), dispatchStore, election, config.reapInterval.toJavaDuration(), dispatcher::wakeUp,
                        node.clock(), environment.metrics()).loop(),
                new OutboxRelay(node.nodeId(), outbox, leading, node.clock(), environment.metrics()).loop(),
                waiter,
                new Retention(node.nodeId(), new RetentionStore(node.database()), node.config().retention, leading, node.clock(),
                        environment.metrics()),
                new DeadLetterMetrics(node.nodeId(), deadLetters, config.deadLetterMetricsInterval.toJavaDuration(), node.clock(),
                        environment.metrics()).loop(),
                new ConsoleSampler(node.nodeId(), consoleSamples, deadLetters, cluster, probe, leading, sampleInterval, node.clock(),
                        environment.metrics()).loop(),
                new QueueMetrics(node.nodeId(), new QueueStatsStore(node.database(), node.config().prometheus.queueCountCap),
                        applicationLabels, leading, node.config().prometheus.queueInterval.toJavaDuration(), node.clock(),
                        environment.metrics(), node.prometheus()).loop(),
                dispatchRates.loop())
                .forEach(environment.lifecycle()::manage);
        Announcer.announce(node, ZkPaths.MASTERS, "master");

        ApplicationStore applications = new ApplicationStore(node.database());
        CachingAuthenticator<String, Caller> keys = keyCache(applications, node);
        environment.jersey().register(ApiKeyFilter.create(keys));
        RequestRateLimiter rateLimiter = new RequestRateLimiter(node.nodeId(), policies,
                new RateLimit(node.config().api.requestsPerSecond, node.config().api.burst), ttl(node), node.clock());
        environment.jersey().register(new RateLimitFilter(rateLimiter));
        environment.jersey().register(new AuthValueFactoryProvider.Binder<>(Caller.class));
        TemplateStore templates = new TemplateStore(node.database());
        Targets targets = Targets.of(node.channels(), node.config());
        MessageParser parser = new MessageParser(node.json(), targets, new SendAt(node.clock()));
        CancelStore cancels = new CancelStore(node.database(), node.nodeId());
        environment.jersey().register(new MessagesResource(messages, cancels, templates, parser,
                waiter, new QueuePositions(node.database(), rateStore, node.config().api.queuePositionCap), dispatcher::wakeUp,
                node.config().api.maxRequestBytes.toBytes(), new FanoutStore(node.database()), fanoutLoop::wakeUp));
        Topics topics = new Topics(node.database());
        environment.jersey().register(new TopicsResource(topics, new TopicParser(node.json()),
                new SubscriberBulk(topics, new SubscriberReader(targets))));
        environment.jersey().register(new FanoutsResource(new FanoutStore(node.database()), new FanoutCancels(node.database(), cancels)));
        environment.jersey().register(new TemplatesResource(templates,
                new TemplateParser(node.json(), new TemplateEngine(node.config().templates.limits()), targets)));
        environment.jersey().register(new DeadLettersResource(deadLetters, dispatcher::wakeUp));
        Recipients recipients = new Recipients(node.database());
        environment.jersey().register(new RecipientsResource(recipients, new RecipientImports(node.database()),
                new PreferencesParser(node.json(), node.channels())));
        environment.jersey().register(new UnsubscribeResource(new UnsubscribeToken(node.config().unsubscribe.key), recipients));
        environment.jersey().register(new SuppressionsResource(new SuppressionStore(node.database()),
                new SuppressionParser(node.json(), targets, node.clock(), node.config().suppression.ttl())));
        environment.jersey().register(cluster);
        environment.jersey().register(new OpenApiResource(node.json()));
        environment.jersey().register(new ErrorMappers.InvalidRequest());
        environment.jersey().register(new ErrorMappers.DatabaseUnavailable());

        PauseDispatchTask.pauseAndResume(dispatchStore, dispatcher).forEach(environment.admin()::addTask);
        environment.admin().addTask(new StepDownTask(election, node.nodeId()));
        environment.admin().addTask(new ClusterTask(cluster, node.json()));
        environment.admin().addTask(new RequeueTask(messages, dispatcher));
        List<ApplicationPolicyTask> policyTasks = new ArrayList<>(
                PolicyTasks.all(policies, node.config().policy, targets, node.config().api, rateLimiter::invalidate));
        policyTasks.add(PolicyTasks.retrySchedule(policies, node.config().webhook.retrySchedule));
        policyTasks.add(PolicyTasks.unknownOutcome(policies, node.config().policy.unknownOutcome));
        policyTasks.forEach(environment.admin()::addTask);
        ApplicationTasks.all(applications, keys::invalidateAll, ttl(node), millis(node.config().webhook.secretRotationGrace))
                .forEach(environment.admin()::addTask);
        DeadLetterTask.requeueAndPurge(deadLetters, dispatcher).forEach(environment.admin()::addTask);
        environment.healthChecks().register("role", new RoleHealthCheck(election::role));
        Console.mount(environment, List.of(
                new ConsoleClusterResource(node.nodeId(), cluster, consoleSamples, probe, environment.healthChecks(), sampleInterval),
                new ConsoleTrafficResource(consoleSamples, sampleInterval),
                new ConsoleMessagesResource(new ConsoleMessageStore(node.database()), messages, deadLetters, applications, policyTasks),
                new ConsoleActionsResource(node.nodeId(), cluster, probe)));
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

    /** The reaper's resend budget is the workers' own, read from the configuration they share. */
    private static UnknownOutcomes unknownOutcomes(NodeContext node) {
        return new UnknownOutcomes(UnknownOutcome.fromWire(node.config().policy.unknownOutcome).orElseThrow(),
                new UnknownOutcome.Budget(node.config().worker.maxAttempts, node.config().webhook.schedule()));
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
