package io.herald.worker;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.herald.common.HeraldApplication;
import io.herald.common.NodeContext;
import io.herald.common.config.HeraldConfiguration;
import io.herald.common.health.RoleHealthCheck;
import io.herald.common.model.Channel;
import io.herald.common.queue.TaskConsumer;
import io.herald.common.queue.TaskQueue;
import io.herald.common.zk.Announcer;
import io.herald.common.zk.ZkPaths;
import io.herald.worker.callback.CallbackDispatcher;
import io.herald.worker.callback.CallbackSender;
import io.herald.common.channel.ChannelSender;
import io.herald.worker.channel.OpenChannels;
import io.herald.worker.channel.WorkerServices;
import io.herald.worker.channel.WorkerShare;
import io.herald.worker.core.DeliveryPipeline;
import io.herald.worker.metrics.DeliveryMetrics;
import io.herald.worker.core.MessageRenderer;
import io.herald.common.template.TemplateEngine;
import io.herald.worker.core.OutcomeRecorder;
import io.herald.worker.core.RetryPolicy;
import io.herald.worker.core.ScheduledRetries;
import io.herald.worker.db.SigningSecrets;
import io.herald.worker.http.HttpDelivery;
import io.herald.worker.db.CallbackStore;
import io.herald.worker.db.OutcomeStore;
import io.herald.worker.db.ReservationStore;
import io.herald.worker.tasks.DrainTask;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sender-worker: takes queue tasks, makes each message's dedup reservation, sends, and records the
 * outcome. Everything is built here, once, with plain constructors.
 */
public class WorkerApplication extends HeraldApplication {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerApplication.class);
    private static final long DRAIN_ON_STOP_SECONDS = 20;
    /**
     * A worker that left may still send this long after its registration went (it drains, then closes its
     * channels), so the others raise their share of each provider's rate only after it.
     */
    private static final Duration SHARE_RAISE_AFTER = Duration.ofSeconds(DRAIN_ON_STOP_SECONDS + 5);
    /** A rotated secret reaches every worker within this long. */
    private static final Duration SIGNING_SECRETS_TTL = Duration.ofSeconds(10);

    private volatile TaskConsumer consumer;

    public WorkerApplication() {
        super("worker");
    }

    public static void main(String[] args) throws Exception {
        new WorkerApplication().run(args);
    }

    @Override
    protected void runNode(NodeContext node) throws Exception {
        HeraldConfiguration config = node.config();
        Environment environment = node.environment();
        ScheduledRetries webhookRetries = new ScheduledRetries(config.webhook.schedule(), config.webhook.retryJitter, Math::random);
        // Every address a destination resolves to is checked before connecting (docs/SECURITY.md): the
        // one checked is the one connected to, so a name that resolves differently later gains nothing.
        HttpDelivery http = new HttpDelivery(config.webhook, node.nodeId(), config.webhook.guard(), HttpDelivery.defaultTls(),
                webhookRetries.schedule().longestStep(), node.clock(), environment.metrics());
        SigningSecrets secrets = new SigningSecrets(node.database(), SIGNING_SECRETS_TTL, System::nanoTime);
        WorkerShare share = new WorkerShare(node.curator(), node.nodeId(), SHARE_RAISE_AFTER, System::nanoTime);
        Map<Channel, ChannelSender> senders = OpenChannels.open(node.channels(),
                new WorkerServices(node.nodeId(), node.clock(), node.json(), http, secrets, environment.metrics(), node.prometheus(),
                        environment.healthChecks(), share::workers));

        OutcomeRecorder recorder = new OutcomeRecorder(new OutcomeStore(node.database(), node.nodeId(), node.config().suppression.ttl()), node.nodeId(),
                config.worker.outcomeBatchSize, config.worker.outcomeFlushInterval.toMilliseconds(), node.clock(), environment.metrics());
        DeliveryPipeline pipeline = new DeliveryPipeline(node.nodeId(), new ReservationStore(node.database(), node.nodeId()),
                senders, recorder,
                new MessageRenderer(node.json(), new TemplateEngine(config.templates.limits()),
                        config.templates.renderTimeout.toJavaDuration(), 2, node.nodeId()),
                RetryPolicy.from(config.worker), webhookRetries, config.worker.maxInFlight,
                millis(config.worker.sendLease), environment.metrics(), new DeliveryMetrics(node.prometheus()));
        consumer = new TaskConsumer(new TaskQueue(node.curator(), node.json()), node.nodeId(),
                config.worker.maxTasksInFlight, pipeline::handle, node.clock(), environment.metrics());
        CallbackDispatcher callbacks = new CallbackDispatcher(node.nodeId(), new CallbackStore(node.database(), node.nodeId()),
                new CallbackSender(http, secrets, node.json(), node.clock()), RetryPolicy.forCallbacks(config.worker),
                config.worker.callbackBatchSize, millis(config.worker.callbackLease), millis(config.worker.callbackPollInterval),
                node.clock(), environment.metrics());

        // The worker's lifecycle, in one place. Started in this order; stopped in reverse (Dropwizard's
        // lifecycle), after the ZooKeeper registration (registered last) and before the ZooKeeper client and
        // the database pool (registered first, by HeraldApplication). So on shutdown: registration; the task
        // consumer drains (no new tasks, held ones finish, at most 20 s), then its task finisher and the
        // pipeline's reservers and renderers stop; the callback loop lets a round in progress finish
        // (LoopRunner.STOP_BOUND); the outcome recorder writes the last outcomes; the channels and the
        // HTTP client close, once nothing sends through them; last the count of workers sharing rates.
        List.of(share,
                closing(http, senders.values().toArray(ChannelSender[]::new)),
                recorder,
                callbacks.loop(),
                new ConsumerLifecycle(consumer, pipeline, node.nodeId()))
                .forEach(environment.lifecycle()::manage);
        Announcer.announce(node, ZkPaths.WORKERS, "worker");

        environment.admin().addTask(new DrainTask(consumer));
        environment.admin().addTask(DrainTask.resume(consumer));
        environment.healthChecks().register("role",
                new RoleHealthCheck(() -> consumer.isDraining() ? "worker (draining)" : "worker"));
    }

    private static Duration millis(io.dropwizard.util.Duration duration) {
        return Duration.ofMillis(duration.toMilliseconds());
    }

    private static Managed closing(HttpDelivery http, ChannelSender... senders) {
        return new Managed() {
            @Override
            public void stop() {
                for (ChannelSender sender : senders) {
                    sender.close();
                }
                http.close();
            }
        };
    }

    /** Starts taking tasks; at shutdown drains for a bounded time, then lets the rest be retaken. */
    private record ConsumerLifecycle(TaskConsumer consumer, DeliveryPipeline pipeline, String nodeId) implements Managed {
        @Override
        public void start() throws Exception {
            consumer.start();
        }

        @Override
        public void stop() throws Exception {
            try {
                consumer.drain().get(DRAIN_ON_STOP_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                LOG.warn("[{}] {} task(s) unfinished after {} s; they will be retaken by another worker",
                        nodeId, consumer.tasksInFlight(), DRAIN_ON_STOP_SECONDS);
            } finally {
                consumer.close();
                pipeline.close();
            }
        }
    }

    /** This worker's task consumer; for tests and tools that run workers in-process. */
    public TaskConsumer consumer() {
        return consumer;
    }
}
